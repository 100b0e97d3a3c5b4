# GENERATED FILE - DO NOT EDIT. Source: anthropic==2.17.0 (the installed SDK's request types).
# Regenerate with `make schema` (python scripts/gen_schema.py); constraints beyond the SDK types
# come from the override table in scripts/gen_schema.py.
"""Request-body TypedDicts for /v1/messages and /v1/messages/count_tokens, GA and beta.

Validated by pydantic-core (app/schema/validators.py compiles them once), they yield plain
dicts. Importing this module only defines types; no validator is built here.
"""

from typing import Annotated, Literal, Union

from pydantic import ConfigDict, Discriminator, Field, Tag
from typing_extensions import Required, TypedDict

from .tags import DISCRIMINATOR_KEYS as DISCRIMINATOR_KEYS
from .tags import HIDDEN_TAG_PREFIX as HIDDEN_TAG_PREFIX
from .tags import _kind, _tag_role, _tag_type, _tag_type_or_custom

__all__ = [
    "BetaMessageCountTokensParams",
    "BetaMessageCreateParams",
    "MessageCountTokensParams",
    "MessageCreateParams",
]

_FORBID = ConfigDict(extra="forbid")
_ALLOW = ConfigDict(extra="allow")


class CacheControlEphemeralParam(TypedDict, total=False):
    # from cache_control_ephemeral_param.CacheControlEphemeralParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["ephemeral"]]
    ttl: Literal["5m", "1h"]


class CitationCharLocationParam(TypedDict, total=False):
    # from citation_char_location_param.CitationCharLocationParam
    # from citation_char_location.CitationCharLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    document_index: Required[int]
    document_title: str | None
    end_char_index: Required[int]
    start_char_index: Required[int]
    type: Required[Literal["char_location"]]
    file_id: str | None


class CitationPageLocationParam(TypedDict, total=False):
    # from citation_page_location_param.CitationPageLocationParam
    # from citation_page_location.CitationPageLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    document_index: Required[int]
    document_title: str | None
    end_page_number: Required[int]
    start_page_number: Required[int]
    type: Required[Literal["page_location"]]
    file_id: str | None


class CitationContentBlockLocationParam(TypedDict, total=False):
    # from citation_content_block_location_param.CitationContentBlockLocationParam
    # from citation_content_block_location.CitationContentBlockLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    document_index: Required[int]
    document_title: str | None
    end_block_index: Required[int]
    start_block_index: Required[int]
    type: Required[Literal["content_block_location"]]
    file_id: str | None


class CitationWebSearchResultLocationParam(TypedDict, total=False):
    # from citation_web_search_result_location_param.CitationWebSearchResultLocationParam
    # from citations_web_search_result_location.CitationsWebSearchResultLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    encrypted_index: Required[str]
    title: str | None
    type: Required[Literal["web_search_result_location"]]
    url: Required[str]


class CitationSearchResultLocationParam(TypedDict, total=False):
    # from citation_search_result_location_param.CitationSearchResultLocationParam
    # from citations_search_result_location.CitationsSearchResultLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    end_block_index: Required[int]
    search_result_index: Required[int]
    source: Required[str]
    start_block_index: Required[int]
    title: str | None
    type: Required[Literal["search_result_location"]]


TextBlockParamCitationsItem = Annotated[
    Union[
        Annotated[CitationCharLocationParam, Tag("char_location")],
        Annotated[CitationPageLocationParam, Tag("page_location")],
        Annotated[CitationContentBlockLocationParam, Tag("content_block_location")],
        Annotated[CitationWebSearchResultLocationParam, Tag("web_search_result_location")],
        Annotated[CitationSearchResultLocationParam, Tag("search_result_location")],
    ],
    Discriminator(_tag_type),
]


class TextBlockParam(TypedDict, total=False):
    # from text_block_param.TextBlockParam
    # from text_block.TextBlock
    __pydantic_config__ = _FORBID

    text: Required[str]
    type: Required[Literal["text"]]
    cache_control: CacheControlEphemeralParam | None
    citations: list[TextBlockParamCitationsItem] | None


class Base64ImageSourceParam(TypedDict, total=False):
    # from base64_image_source_param.Base64ImageSourceParam
    __pydantic_config__ = _FORBID

    data: Required[str]
    media_type: Required[Literal["image/jpeg", "image/png", "image/gif", "image/webp"]]
    type: Required[Literal["base64"]]


class URLImageSourceParam(TypedDict, total=False):
    # from url_image_source_param.URLImageSourceParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["url"]]
    url: Required[str]


class FileImageSourceParam(TypedDict, total=False):
    # from file_image_source_param.FileImageSourceParam
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["file"]]


ImageBlockParamSource = Annotated[
    Union[
        Annotated[Base64ImageSourceParam, Tag("base64")],
        Annotated[URLImageSourceParam, Tag("url")],
        Annotated[FileImageSourceParam, Tag("file")],
    ],
    Discriminator(_tag_type),
]


class ImageTransformationsParam(TypedDict, total=False):
    # from image_transformations_param.ImageTransformationsParam
    __pydantic_config__ = _FORBID

    oversized_image: Literal["downsize", "error"]


class ImageBlockParam(TypedDict, total=False):
    # from image_block_param.ImageBlockParam
    __pydantic_config__ = _FORBID

    source: Required[ImageBlockParamSource]
    type: Required[Literal["image"]]
    cache_control: CacheControlEphemeralParam | None
    transformations: ImageTransformationsParam | None


class Base64PDFSourceParam(TypedDict, total=False):
    # from base64_pdf_source_param.Base64PDFSourceParam
    # from base64_pdf_source.Base64PDFSource
    __pydantic_config__ = _FORBID

    data: Required[str]
    media_type: Required[Literal["application/pdf"]]
    type: Required[Literal["base64"]]


class PlainTextSourceParam(TypedDict, total=False):
    # from plain_text_source_param.PlainTextSourceParam
    # from plain_text_source.PlainTextSource
    __pydantic_config__ = _FORBID

    data: Required[str]
    media_type: Required[Literal["text/plain"]]
    type: Required[Literal["text"]]


ContentBlockSourceContentParam = Annotated[
    Union[
        Annotated[TextBlockParam, Tag("text")],
        Annotated[ImageBlockParam, Tag("image")],
    ],
    Discriminator(_tag_type),
]

StrOrContentBlockSourceContentParamList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[ContentBlockSourceContentParam], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class ContentBlockSourceParam(TypedDict, total=False):
    # from content_block_source_param.ContentBlockSourceParam
    __pydantic_config__ = _FORBID

    content: Required[StrOrContentBlockSourceContentParamList]
    type: Required[Literal["content"]]


class URLPDFSourceParam(TypedDict, total=False):
    # from url_pdf_source_param.URLPDFSourceParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["url"]]
    url: Required[str]


class FileDocumentSourceParam(TypedDict, total=False):
    # from file_document_source_param.FileDocumentSourceParam
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["file"]]


DocumentBlockParamSource = Annotated[
    Union[
        Annotated[Base64PDFSourceParam, Tag("base64")],
        Annotated[PlainTextSourceParam, Tag("text")],
        Annotated[ContentBlockSourceParam, Tag("content")],
        Annotated[URLPDFSourceParam, Tag("url")],
        Annotated[FileDocumentSourceParam, Tag("file")],
    ],
    Discriminator(_tag_type),
]


class CitationsConfigParam(TypedDict, total=False):
    # from citations_config_param.CitationsConfigParam
    # from citations_config.CitationsConfig
    __pydantic_config__ = _FORBID

    enabled: bool


class DocumentBlockParam(TypedDict, total=False):
    # from document_block_param.DocumentBlockParam
    # from document_block.DocumentBlock
    __pydantic_config__ = _FORBID

    source: Required[DocumentBlockParamSource]
    type: Required[Literal["document"]]
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam | None
    context: str | None
    title: str | None


class SearchResultBlockParam(TypedDict, total=False):
    # from search_result_block_param.SearchResultBlockParam
    __pydantic_config__ = _FORBID

    content: Required[list[TextBlockParam]]
    source: Required[str]
    title: Required[str]
    type: Required[Literal["search_result"]]
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam


class ThinkingBlockParam(TypedDict, total=False):
    # from thinking_block_param.ThinkingBlockParam
    # from thinking_block.ThinkingBlock
    __pydantic_config__ = _FORBID

    signature: Required[str]
    thinking: Required[str]
    type: Required[Literal["thinking"]]


class RedactedThinkingBlockParam(TypedDict, total=False):
    # from redacted_thinking_block_param.RedactedThinkingBlockParam
    # from redacted_thinking_block.RedactedThinkingBlock
    __pydantic_config__ = _FORBID

    data: Required[str]
    type: Required[Literal["redacted_thinking"]]


class DirectCallerParam(TypedDict, total=False):
    # from direct_caller_param.DirectCallerParam
    # from direct_caller.DirectCaller
    __pydantic_config__ = _FORBID

    type: Required[Literal["direct"]]


class ServerToolCallerParam(TypedDict, total=False):
    # from server_tool_caller_param.ServerToolCallerParam
    # from server_tool_caller.ServerToolCaller
    __pydantic_config__ = _FORBID

    tool_id: Required[str]
    type: Required[Literal["code_execution_20250825"]]


class ServerToolCaller20260120Param(TypedDict, total=False):
    # from server_tool_caller_20260120_param.ServerToolCaller20260120Param
    # from server_tool_caller_20260120.ServerToolCaller20260120
    __pydantic_config__ = _FORBID

    tool_id: Required[str]
    type: Required[Literal["code_execution_20260120"]]


ToolUseBlockParamCaller = Annotated[
    Union[
        Annotated[DirectCallerParam, Tag("direct")],
        Annotated[ServerToolCallerParam, Tag("code_execution_20250825")],
        Annotated[ServerToolCaller20260120Param, Tag("code_execution_20260120")],
    ],
    Discriminator(_tag_type),
]


class ToolUseBlockParam(TypedDict, total=False):
    # from tool_use_block_param.ToolUseBlockParam
    # from tool_use_block.ToolUseBlock
    __pydantic_config__ = _FORBID

    id: Required[str]
    input: Required[dict[str, object]]
    name: Required[str]
    type: Required[Literal["tool_use"]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolUseBlockParamCaller | None
    toolset_name: str | None


class ToolReferenceBlockParam(TypedDict, total=False):
    # from tool_reference_block_param.ToolReferenceBlockParam
    # from tool_reference_block.ToolReferenceBlock
    __pydantic_config__ = _FORBID

    tool_name: Required[str]
    type: Required[Literal["tool_reference"]]
    cache_control: CacheControlEphemeralParam | None


class BrowserStateTabEntryParam(TypedDict, total=False):
    # from browser_state_tab_entry_param.BrowserStateTabEntryParam
    __pydantic_config__ = _FORBID

    tab_id: Required[str]
    title: Required[str]
    url: Required[str]
    active: bool


class BrowserStateChangeTabOpenedParam(TypedDict, total=False):
    # from browser_state_change_tab_opened_param.BrowserStateChangeTabOpenedParam
    __pydantic_config__ = _FORBID

    tab_id: Required[str]
    type: Required[Literal["tab_opened"]]


class BrowserStateChangeDownloadStartedParam(TypedDict, total=False):
    # from browser_state_change_download_started_param.BrowserStateChangeDownloadStartedParam
    __pydantic_config__ = _FORBID

    download_id: Required[str]
    type: Required[Literal["download_started"]]
    url: Required[str]


class BrowserStateChangeDownloadCompletedParam(TypedDict, total=False):
    # from browser_state_change_download_completed_param.BrowserStateChangeDownloadCompletedParam
    __pydantic_config__ = _FORBID

    download_id: Required[str]
    type: Required[Literal["download_completed"]]
    url: Required[str]
    path: str | None
    size_bytes: int | None


class BrowserStateChangeDownloadFailedParam(TypedDict, total=False):
    # from browser_state_change_download_failed_param.BrowserStateChangeDownloadFailedParam
    __pydantic_config__ = _FORBID

    download_id: Required[str]
    type: Required[Literal["download_failed"]]
    url: Required[str]
    error: str | None


BrowserStateChangeParam = Annotated[
    Union[
        Annotated[BrowserStateChangeTabOpenedParam, Tag("tab_opened")],
        Annotated[BrowserStateChangeDownloadStartedParam, Tag("download_started")],
        Annotated[BrowserStateChangeDownloadCompletedParam, Tag("download_completed")],
        Annotated[BrowserStateChangeDownloadFailedParam, Tag("download_failed")],
    ],
    Discriminator(_tag_type),
]


class BrowserStateBlockParam(TypedDict, total=False):
    # from browser_state_block_param.BrowserStateBlockParam
    __pydantic_config__ = _FORBID

    tabs: Required[list[BrowserStateTabEntryParam]]
    type: Required[Literal["browser_state"]]
    cache_control: CacheControlEphemeralParam | None
    state_changes: list[BrowserStateChangeParam] | None


ToolResultBlockParamContentItem = Annotated[
    Union[
        Annotated[TextBlockParam, Tag("text")],
        Annotated[ImageBlockParam, Tag("image")],
        Annotated[SearchResultBlockParam, Tag("search_result")],
        Annotated[DocumentBlockParam, Tag("document")],
        Annotated[ToolReferenceBlockParam, Tag("tool_reference")],
        Annotated[BrowserStateBlockParam, Tag("browser_state")],
    ],
    Discriminator(_tag_type),
]

StrOrToolResultBlockParamContentItemList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[ToolResultBlockParamContentItem], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class ToolResultBlockParam(TypedDict, total=False):
    # from tool_result_block_param.ToolResultBlockParam
    __pydantic_config__ = _FORBID

    tool_use_id: Required[str]
    type: Required[Literal["tool_result"]]
    cache_control: CacheControlEphemeralParam | None
    content: StrOrToolResultBlockParamContentItemList
    is_error: bool
    toolset_name: str | None


class ServerToolUseBlockParam(TypedDict, total=False):
    # from server_tool_use_block_param.ServerToolUseBlockParam
    # from server_tool_use_block.ServerToolUseBlock
    __pydantic_config__ = _FORBID

    id: Required[str]
    input: Required[dict[str, object]]
    name: Required[
        Literal[
            "web_search",
            "web_fetch",
            "code_execution",
            "bash_code_execution",
            "text_editor_code_execution",
            "tool_search_tool_regex",
            "tool_search_tool_bm25",
        ]
    ]
    type: Required[Literal["server_tool_use"]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolUseBlockParamCaller | None


class WebSearchResultBlockParam(TypedDict, total=False):
    # from web_search_result_block_param.WebSearchResultBlockParam
    # from web_search_result_block.WebSearchResultBlock
    __pydantic_config__ = _FORBID

    encrypted_content: Required[str]
    title: Required[str]
    type: Required[Literal["web_search_result"]]
    url: Required[str]
    page_age: str | None


class WebSearchToolRequestErrorObjectParam(TypedDict, total=False):
    # from web_search_tool_request_error_object_param.WebSearchToolRequestErrorObjectParam
    # from web_search_tool_result_error_object.WebSearchToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "max_uses_exceeded",
            "too_many_requests",
            "query_too_long",
            "request_too_large",
        ]
    ]
    type: Required[Literal["web_search_tool_result_error"]]


WebSearchResultBlockParamListOrWebSearchToolRequestErrorObjectParam = Annotated[
    Union[
        Annotated[list[WebSearchResultBlockParam], Tag("~list")],
        Annotated[WebSearchToolRequestErrorObjectParam, Tag("~dict")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid list or a valid dictionary",
    ),
]


class WebSearchToolResultBlockParam(TypedDict, total=False):
    # from web_search_tool_result_block_param.WebSearchToolResultBlockParam
    # from web_search_tool_result_block.WebSearchToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[WebSearchResultBlockParamListOrWebSearchToolRequestErrorObjectParam]
    tool_use_id: Required[str]
    type: Required[Literal["web_search_tool_result"]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolUseBlockParamCaller | None


class WebFetchToolResultErrorBlockParam(TypedDict, total=False):
    # from web_fetch_tool_result_error_block_param.WebFetchToolResultErrorBlockParam
    # from web_fetch_tool_result_error_block.WebFetchToolResultErrorBlock
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "url_too_long",
            "url_not_allowed",
            "url_not_in_prior_context",
            "url_not_accessible",
            "unsupported_content_type",
            "too_many_requests",
            "max_uses_exceeded",
            "unavailable",
            "content_too_large",
        ]
    ]
    type: Required[Literal["web_fetch_tool_result_error"]]


class WebFetchBlockParam(TypedDict, total=False):
    # from web_fetch_block_param.WebFetchBlockParam
    # from web_fetch_block.WebFetchBlock
    __pydantic_config__ = _FORBID

    content: Required[DocumentBlockParam]
    type: Required[Literal["web_fetch_result"]]
    url: Required[str]
    retrieved_at: str | None


WebFetchToolResultBlockParamContent = Annotated[
    Union[
        Annotated[WebFetchToolResultErrorBlockParam, Tag("web_fetch_tool_result_error")],
        Annotated[WebFetchBlockParam, Tag("web_fetch_result")],
    ],
    Discriminator(_tag_type),
]


class WebFetchToolResultBlockParam(TypedDict, total=False):
    # from web_fetch_tool_result_block_param.WebFetchToolResultBlockParam
    # from web_fetch_tool_result_block.WebFetchToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[WebFetchToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["web_fetch_tool_result"]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolUseBlockParamCaller | None


class CodeExecutionToolResultErrorParam(TypedDict, total=False):
    # from code_execution_tool_result_error_param.CodeExecutionToolResultErrorParam
    # from code_execution_tool_result_error_object.CodeExecutionToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal["invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"]
    ]
    type: Required[Literal["code_execution_tool_result_error"]]


class CodeExecutionOutputBlockParam(TypedDict, total=False):
    # from code_execution_output_block_param.CodeExecutionOutputBlockParam
    # from code_execution_output_block.CodeExecutionOutputBlock
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["code_execution_output"]]


class CodeExecutionResultBlockParam(TypedDict, total=False):
    # from code_execution_result_block_param.CodeExecutionResultBlockParam
    # from code_execution_result_block.CodeExecutionResultBlock
    __pydantic_config__ = _FORBID

    content: Required[list[CodeExecutionOutputBlockParam]]
    return_code: Required[int]
    stderr: Required[str]
    stdout: Required[str]
    type: Required[Literal["code_execution_result"]]


class EncryptedCodeExecutionResultBlockParam(TypedDict, total=False):
    # from encrypted_code_execution_result_block_param.EncryptedCodeExecutionResultBlockParam
    # from encrypted_code_execution_result_block.EncryptedCodeExecutionResultBlock
    __pydantic_config__ = _FORBID

    content: Required[list[CodeExecutionOutputBlockParam]]
    encrypted_stdout: Required[str]
    return_code: Required[int]
    stderr: Required[str]
    type: Required[Literal["encrypted_code_execution_result"]]


CodeExecutionToolResultBlockParamContent = Annotated[
    Union[
        Annotated[CodeExecutionToolResultErrorParam, Tag("code_execution_tool_result_error")],
        Annotated[CodeExecutionResultBlockParam, Tag("code_execution_result")],
        Annotated[EncryptedCodeExecutionResultBlockParam, Tag("encrypted_code_execution_result")],
    ],
    Discriminator(_tag_type),
]


class CodeExecutionToolResultBlockParam(TypedDict, total=False):
    # from code_execution_tool_result_block_param.CodeExecutionToolResultBlockParam
    # from code_execution_tool_result_block.CodeExecutionToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[CodeExecutionToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["code_execution_tool_result"]]
    cache_control: CacheControlEphemeralParam | None


class BashCodeExecutionToolResultErrorParam(TypedDict, total=False):
    # from bash_code_execution_tool_result_error_param.BashCodeExecutionToolResultErrorParam
    # from bash_code_execution_tool_result_error_object.BashCodeExecutionToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "too_many_requests",
            "execution_time_exceeded",
            "output_file_too_large",
        ]
    ]
    type: Required[Literal["bash_code_execution_tool_result_error"]]


class BashCodeExecutionOutputBlockParam(TypedDict, total=False):
    # from bash_code_execution_output_block_param.BashCodeExecutionOutputBlockParam
    # from bash_code_execution_output_block.BashCodeExecutionOutputBlock
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["bash_code_execution_output"]]


class BashCodeExecutionResultBlockParam(TypedDict, total=False):
    # from bash_code_execution_result_block_param.BashCodeExecutionResultBlockParam
    # from bash_code_execution_result_block.BashCodeExecutionResultBlock
    __pydantic_config__ = _FORBID

    content: Required[list[BashCodeExecutionOutputBlockParam]]
    return_code: Required[int]
    stderr: Required[str]
    stdout: Required[str]
    type: Required[Literal["bash_code_execution_result"]]


BashCodeExecutionToolResultBlockParamContent = Annotated[
    Union[
        Annotated[
            BashCodeExecutionToolResultErrorParam, Tag("bash_code_execution_tool_result_error")
        ],
        Annotated[BashCodeExecutionResultBlockParam, Tag("bash_code_execution_result")],
    ],
    Discriminator(_tag_type),
]


class BashCodeExecutionToolResultBlockParam(TypedDict, total=False):
    # from bash_code_execution_tool_result_block_param.BashCodeExecutionToolResultBlockParam
    # from bash_code_execution_tool_result_block.BashCodeExecutionToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BashCodeExecutionToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["bash_code_execution_tool_result"]]
    cache_control: CacheControlEphemeralParam | None


class TextEditorCodeExecutionToolResultErrorParam(TypedDict, total=False):
    # from text_editor_code_execution_tool_result_error_param.TextEditorCodeExecutionToolResultErrorParam
    # from text_editor_code_execution_tool_result_error_object.TextEditorCodeExecutionToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "too_many_requests",
            "execution_time_exceeded",
            "file_not_found",
        ]
    ]
    type: Required[Literal["text_editor_code_execution_tool_result_error"]]
    error_message: str | None


class TextEditorCodeExecutionViewResultBlockParam(TypedDict, total=False):
    # from text_editor_code_execution_view_result_block_param.TextEditorCodeExecutionViewResultBlockParam
    # from text_editor_code_execution_view_result_block.TextEditorCodeExecutionViewResultBlock
    __pydantic_config__ = _FORBID

    content: Required[str]
    file_type: Required[Literal["text", "image", "pdf"]]
    type: Required[Literal["text_editor_code_execution_view_result"]]
    num_lines: int | None
    start_line: int | None
    total_lines: int | None


class TextEditorCodeExecutionCreateResultBlockParam(TypedDict, total=False):
    # from text_editor_code_execution_create_result_block_param.TextEditorCodeExecutionCreateResultBlockParam
    # from text_editor_code_execution_create_result_block.TextEditorCodeExecutionCreateResultBlock
    __pydantic_config__ = _FORBID

    is_file_update: Required[bool]
    type: Required[Literal["text_editor_code_execution_create_result"]]


class TextEditorCodeExecutionStrReplaceResultBlockParam(TypedDict, total=False):
    # from text_editor_code_execution_str_replace_result_block_param.TextEditorCodeExecutionStrReplaceResultBlockParam
    # from text_editor_code_execution_str_replace_result_block.TextEditorCodeExecutionStrReplaceResultBlock
    __pydantic_config__ = _FORBID

    type: Required[Literal["text_editor_code_execution_str_replace_result"]]
    lines: list[str] | None
    new_lines: int | None
    new_start: int | None
    old_lines: int | None
    old_start: int | None


TextEditorCodeExecutionToolResultBlockParamContent = Annotated[
    Union[
        Annotated[
            TextEditorCodeExecutionToolResultErrorParam,
            Tag("text_editor_code_execution_tool_result_error"),
        ],
        Annotated[
            TextEditorCodeExecutionViewResultBlockParam,
            Tag("text_editor_code_execution_view_result"),
        ],
        Annotated[
            TextEditorCodeExecutionCreateResultBlockParam,
            Tag("text_editor_code_execution_create_result"),
        ],
        Annotated[
            TextEditorCodeExecutionStrReplaceResultBlockParam,
            Tag("text_editor_code_execution_str_replace_result"),
        ],
    ],
    Discriminator(_tag_type),
]


class TextEditorCodeExecutionToolResultBlockParam(TypedDict, total=False):
    # from text_editor_code_execution_tool_result_block_param.TextEditorCodeExecutionToolResultBlockParam
    # from text_editor_code_execution_tool_result_block.TextEditorCodeExecutionToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[TextEditorCodeExecutionToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["text_editor_code_execution_tool_result"]]
    cache_control: CacheControlEphemeralParam | None


class ToolSearchToolResultErrorParam(TypedDict, total=False):
    # from tool_search_tool_result_error_param.ToolSearchToolResultErrorParam
    # from tool_search_tool_result_error_object.ToolSearchToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal["invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"]
    ]
    type: Required[Literal["tool_search_tool_result_error"]]
    error_message: str | None


class ToolSearchToolSearchResultBlockParam(TypedDict, total=False):
    # from tool_search_tool_search_result_block_param.ToolSearchToolSearchResultBlockParam
    # from tool_search_tool_search_result_block.ToolSearchToolSearchResultBlock
    __pydantic_config__ = _FORBID

    tool_references: Required[list[ToolReferenceBlockParam]]
    type: Required[Literal["tool_search_tool_search_result"]]


ToolSearchToolResultBlockParamContent = Annotated[
    Union[
        Annotated[ToolSearchToolResultErrorParam, Tag("tool_search_tool_result_error")],
        Annotated[ToolSearchToolSearchResultBlockParam, Tag("tool_search_tool_search_result")],
    ],
    Discriminator(_tag_type),
]


class ToolSearchToolResultBlockParam(TypedDict, total=False):
    # from tool_search_tool_result_block_param.ToolSearchToolResultBlockParam
    # from tool_search_tool_result_block.ToolSearchToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[ToolSearchToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["tool_search_tool_result"]]
    cache_control: CacheControlEphemeralParam | None


class ContainerUploadBlockParam(TypedDict, total=False):
    # from container_upload_block_param.ContainerUploadBlockParam
    # from container_upload_block.ContainerUploadBlock
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["container_upload"]]
    cache_control: CacheControlEphemeralParam | None


MessageContentParamItem = Annotated[
    Union[
        Annotated[TextBlockParam, Tag("text")],
        Annotated[ImageBlockParam, Tag("image")],
        Annotated[DocumentBlockParam, Tag("document")],
        Annotated[SearchResultBlockParam, Tag("search_result")],
        Annotated[ThinkingBlockParam, Tag("thinking")],
        Annotated[RedactedThinkingBlockParam, Tag("redacted_thinking")],
        Annotated[ToolUseBlockParam, Tag("tool_use")],
        Annotated[ToolResultBlockParam, Tag("tool_result")],
        Annotated[ServerToolUseBlockParam, Tag("server_tool_use")],
        Annotated[WebSearchToolResultBlockParam, Tag("web_search_tool_result")],
        Annotated[WebFetchToolResultBlockParam, Tag("web_fetch_tool_result")],
        Annotated[CodeExecutionToolResultBlockParam, Tag("code_execution_tool_result")],
        Annotated[BashCodeExecutionToolResultBlockParam, Tag("bash_code_execution_tool_result")],
        Annotated[
            TextEditorCodeExecutionToolResultBlockParam,
            Tag("text_editor_code_execution_tool_result"),
        ],
        Annotated[ToolSearchToolResultBlockParam, Tag("tool_search_tool_result")],
        Annotated[ContainerUploadBlockParam, Tag("container_upload")],
    ],
    Discriminator(_tag_type),
]

MessageContentParam = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[MessageContentParamItem], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class UserMessageParam(TypedDict, total=False):
    # from user_message_param.UserMessageParam
    __pydantic_config__ = _FORBID

    content: Required[MessageContentParam]
    role: Required[Literal["user"]]


class AssistantMessageParam(TypedDict, total=False):
    # from assistant_message_param.AssistantMessageParam
    __pydantic_config__ = _FORBID

    content: Required[MessageContentParam]
    role: Required[Literal["assistant"]]


StrOrTextBlockParamList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[TextBlockParam], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class SystemMessageParam(TypedDict, total=False):
    # from system_message_param.SystemMessageParam
    __pydantic_config__ = _FORBID

    content: Required[StrOrTextBlockParamList]
    role: Required[Literal["system"]]


MessageParam = Annotated[
    Union[
        Annotated[UserMessageParam, Tag("~user")],
        Annotated[AssistantMessageParam, Tag("~assistant")],
        Annotated[SystemMessageParam, Tag("~system")],
    ],
    Discriminator(_tag_role),
]


class SkillParams(TypedDict, total=False):
    # from skill_params.SkillParams
    __pydantic_config__ = _FORBID

    skill_id: Required[str]
    type: Required[Literal["anthropic", "custom"]]
    version: str


class ContainerParams(TypedDict, total=False):
    # from container_params.ContainerParams
    __pydantic_config__ = _FORBID

    id: str | None
    skills: list[SkillParams] | None


ContainerParamsOrStr = Annotated[
    Union[
        Annotated[ContainerParams, Tag("~dict")],
        Annotated[str, Tag("~str")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid dictionary or a valid string",
    ),
]


class DiagnosticsParam(TypedDict, total=False):
    # from diagnostics_param.DiagnosticsParam
    __pydantic_config__ = _FORBID

    previous_message_id: str | None


class MetadataParam(TypedDict, total=False):
    # from metadata_param.MetadataParam
    __pydantic_config__ = _FORBID

    user_id: str | None


class JSONOutputFormatParam(TypedDict, total=False):
    # from json_output_format_param.JSONOutputFormatParam
    __pydantic_config__ = _FORBID

    schema: Required[dict[str, object]]
    type: Required[Literal["json_schema"]]


class OutputConfigParam(TypedDict, total=False):
    # from output_config_param.OutputConfigParam
    __pydantic_config__ = _FORBID

    effort: Literal["low", "medium", "high", "xhigh", "max"] | None
    format: JSONOutputFormatParam | None


class ThinkingConfigEnabledParam(TypedDict, total=False):
    # from thinking_config_enabled_param.ThinkingConfigEnabledParam
    __pydantic_config__ = _FORBID

    budget_tokens: Required[Annotated[int, Field(ge=1024)]]
    type: Required[Literal["enabled"]]
    display: Literal["summarized", "omitted"] | None


class ThinkingConfigDisabledParam(TypedDict, total=False):
    # from thinking_config_disabled_param.ThinkingConfigDisabledParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["disabled"]]


class ThinkingConfigBetweenToolsParam(TypedDict, total=False):
    # from thinking_config_between_tools_param.ThinkingConfigBetweenToolsParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["between_tools"]]


class ThinkingConfigAdaptiveParam(TypedDict, total=False):
    # from thinking_config_adaptive_param.ThinkingConfigAdaptiveParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["adaptive"]]
    display: Literal["summarized", "omitted"] | None


ThinkingConfigParam = Annotated[
    Union[
        Annotated[ThinkingConfigEnabledParam, Tag("enabled")],
        Annotated[ThinkingConfigDisabledParam, Tag("disabled")],
        Annotated[ThinkingConfigBetweenToolsParam, Tag("between_tools")],
        Annotated[ThinkingConfigAdaptiveParam, Tag("adaptive")],
    ],
    Discriminator(_tag_type),
]


class ToolChoiceAutoParam(TypedDict, total=False):
    # from tool_choice_auto_param.ToolChoiceAutoParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["auto"]]
    disable_parallel_tool_use: bool


class ToolChoiceAnyParam(TypedDict, total=False):
    # from tool_choice_any_param.ToolChoiceAnyParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["any"]]
    disable_parallel_tool_use: bool


class ToolChoiceToolParam(TypedDict, total=False):
    # from tool_choice_tool_param.ToolChoiceToolParam
    __pydantic_config__ = _FORBID

    name: Required[str]
    type: Required[Literal["tool"]]
    disable_parallel_tool_use: bool


class ToolChoiceNoneParam(TypedDict, total=False):
    # from tool_choice_none_param.ToolChoiceNoneParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["none"]]


ToolChoiceParam = Annotated[
    Union[
        Annotated[ToolChoiceAutoParam, Tag("auto")],
        Annotated[ToolChoiceAnyParam, Tag("any")],
        Annotated[ToolChoiceToolParam, Tag("tool")],
        Annotated[ToolChoiceNoneParam, Tag("none")],
    ],
    Discriminator(_tag_type),
]


class InputSchemaTyped(TypedDict, total=False):
    # from tool_param.InputSchemaTyped
    __pydantic_config__ = _ALLOW

    type: Required[Literal["object"]]
    properties: dict[str, object] | None
    required: list[str] | None


class ToolParam(TypedDict, total=False):
    # from tool_param.ToolParam
    __pydantic_config__ = _FORBID

    input_schema: Required[InputSchemaTyped]
    name: Required[Annotated[str, Field(pattern="^[a-zA-Z0-9_-]{1,128}$")]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    description: str
    eager_input_streaming: bool | None
    input_examples: list[dict[str, object]]
    strict: bool
    type: Literal["custom"] | None


class ToolBash20250124Param(TypedDict, total=False):
    # from tool_bash_20250124_param.ToolBash20250124Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["bash"]]
    type: Required[Literal["bash_20250124"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    input_examples: list[dict[str, object]]
    strict: bool


class CodeExecutionTool20250522Param(TypedDict, total=False):
    # from code_execution_tool_20250522_param.CodeExecutionTool20250522Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20250522"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


class CodeExecutionTool20250825Param(TypedDict, total=False):
    # from code_execution_tool_20250825_param.CodeExecutionTool20250825Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20250825"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


class CodeExecutionTool20260120Param(TypedDict, total=False):
    # from code_execution_tool_20260120_param.CodeExecutionTool20260120Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20260120"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


class CodeExecutionTool20260521Param(TypedDict, total=False):
    # from code_execution_tool_20260521_param.CodeExecutionTool20260521Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20260521"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


class BrowserCloseTabConfigParam(TypedDict, total=False):
    # from browser_close_tab_config_param.BrowserCloseTabConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserDoubleClickConfigParam(TypedDict, total=False):
    # from browser_double_click_config_param.BrowserDoubleClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserFileUploadConfigParam(TypedDict, total=False):
    # from browser_file_upload_config_param.BrowserFileUploadConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserFindConfigParam(TypedDict, total=False):
    # from browser_find_config_param.BrowserFindConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserFormInputConfigParam(TypedDict, total=False):
    # from browser_form_input_config_param.BrowserFormInputConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserGetPageTextConfigParam(TypedDict, total=False):
    # from browser_get_page_text_config_param.BrowserGetPageTextConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserHoldKeyConfigParam(TypedDict, total=False):
    # from browser_hold_key_config_param.BrowserHoldKeyConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserHoverConfigParam(TypedDict, total=False):
    # from browser_hover_config_param.BrowserHoverConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserJavascriptExecConfigParam(TypedDict, total=False):
    # from browser_javascript_exec_config_param.BrowserJavascriptExecConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserKeyConfigParam(TypedDict, total=False):
    # from browser_key_config_param.BrowserKeyConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserLeftClickConfigParam(TypedDict, total=False):
    # from browser_left_click_config_param.BrowserLeftClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserLeftClickDragConfigParam(TypedDict, total=False):
    # from browser_left_click_drag_config_param.BrowserLeftClickDragConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserLeftMouseDownConfigParam(TypedDict, total=False):
    # from browser_left_mouse_down_config_param.BrowserLeftMouseDownConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserLeftMouseUpConfigParam(TypedDict, total=False):
    # from browser_left_mouse_up_config_param.BrowserLeftMouseUpConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserListTabsConfigParam(TypedDict, total=False):
    # from browser_list_tabs_config_param.BrowserListTabsConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserMiddleClickConfigParam(TypedDict, total=False):
    # from browser_middle_click_config_param.BrowserMiddleClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserMouseMoveConfigParam(TypedDict, total=False):
    # from browser_mouse_move_config_param.BrowserMouseMoveConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserNavigateConfigParam(TypedDict, total=False):
    # from browser_navigate_config_param.BrowserNavigateConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserNewTabConfigParam(TypedDict, total=False):
    # from browser_new_tab_config_param.BrowserNewTabConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserReadConsoleConfigParam(TypedDict, total=False):
    # from browser_read_console_config_param.BrowserReadConsoleConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserReadNetworkConfigParam(TypedDict, total=False):
    # from browser_read_network_config_param.BrowserReadNetworkConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserReadPageConfigParam(TypedDict, total=False):
    # from browser_read_page_config_param.BrowserReadPageConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserRightClickConfigParam(TypedDict, total=False):
    # from browser_right_click_config_param.BrowserRightClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserScreenshotConfigParam(TypedDict, total=False):
    # from browser_screenshot_config_param.BrowserScreenshotConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserScrollConfigParam(TypedDict, total=False):
    # from browser_scroll_config_param.BrowserScrollConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserScrollToConfigParam(TypedDict, total=False):
    # from browser_scroll_to_config_param.BrowserScrollToConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserSwitchTabConfigParam(TypedDict, total=False):
    # from browser_switch_tab_config_param.BrowserSwitchTabConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserTripleClickConfigParam(TypedDict, total=False):
    # from browser_triple_click_config_param.BrowserTripleClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserTypeConfigParam(TypedDict, total=False):
    # from browser_type_config_param.BrowserTypeConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserWaitConfigParam(TypedDict, total=False):
    # from browser_wait_config_param.BrowserWaitConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserZoomConfigParam(TypedDict, total=False):
    # from browser_zoom_config_param.BrowserZoomConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BrowserToolsetConfigsParam(TypedDict, total=False):
    # from browser_toolset_configs_param.BrowserToolsetConfigsParam
    __pydantic_config__ = _FORBID

    close_tab: BrowserCloseTabConfigParam | None
    double_click: BrowserDoubleClickConfigParam | None
    file_upload: BrowserFileUploadConfigParam | None
    find: BrowserFindConfigParam | None
    form_input: BrowserFormInputConfigParam | None
    get_page_text: BrowserGetPageTextConfigParam | None
    hold_key: BrowserHoldKeyConfigParam | None
    hover: BrowserHoverConfigParam | None
    javascript_exec: BrowserJavascriptExecConfigParam | None
    key: BrowserKeyConfigParam | None
    left_click: BrowserLeftClickConfigParam | None
    left_click_drag: BrowserLeftClickDragConfigParam | None
    left_mouse_down: BrowserLeftMouseDownConfigParam | None
    left_mouse_up: BrowserLeftMouseUpConfigParam | None
    list_tabs: BrowserListTabsConfigParam | None
    middle_click: BrowserMiddleClickConfigParam | None
    mouse_move: BrowserMouseMoveConfigParam | None
    navigate: BrowserNavigateConfigParam | None
    new_tab: BrowserNewTabConfigParam | None
    read_console: BrowserReadConsoleConfigParam | None
    read_network: BrowserReadNetworkConfigParam | None
    read_page: BrowserReadPageConfigParam | None
    right_click: BrowserRightClickConfigParam | None
    screenshot: BrowserScreenshotConfigParam | None
    scroll: BrowserScrollConfigParam | None
    scroll_to: BrowserScrollToConfigParam | None
    switch_tab: BrowserSwitchTabConfigParam | None
    triple_click: BrowserTripleClickConfigParam | None
    type: BrowserTypeConfigParam | None
    wait: BrowserWaitConfigParam | None
    zoom: BrowserZoomConfigParam | None


class BrowserToolset20260801Param(TypedDict, total=False):
    # from browser_toolset_20260801_param.BrowserToolset20260801Param
    __pydantic_config__ = _FORBID

    type: Required[Literal["browser_toolset_20260801"]]
    cache_control: CacheControlEphemeralParam | None
    configs: BrowserToolsetConfigsParam | None


class MemoryTool20250818Param(TypedDict, total=False):
    # from memory_tool_20250818_param.MemoryTool20250818Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["memory"]]
    type: Required[Literal["memory_20250818"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    input_examples: list[dict[str, object]]
    strict: bool


class ComputerCursorPositionConfigParam(TypedDict, total=False):
    # from computer_cursor_position_config_param.ComputerCursorPositionConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerDoubleClickConfigParam(TypedDict, total=False):
    # from computer_double_click_config_param.ComputerDoubleClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerHoldKeyConfigParam(TypedDict, total=False):
    # from computer_hold_key_config_param.ComputerHoldKeyConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerKeyConfigParam(TypedDict, total=False):
    # from computer_key_config_param.ComputerKeyConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerLeftClickConfigParam(TypedDict, total=False):
    # from computer_left_click_config_param.ComputerLeftClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerLeftClickDragConfigParam(TypedDict, total=False):
    # from computer_left_click_drag_config_param.ComputerLeftClickDragConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerLeftMouseDownConfigParam(TypedDict, total=False):
    # from computer_left_mouse_down_config_param.ComputerLeftMouseDownConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerLeftMouseUpConfigParam(TypedDict, total=False):
    # from computer_left_mouse_up_config_param.ComputerLeftMouseUpConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerMiddleClickConfigParam(TypedDict, total=False):
    # from computer_middle_click_config_param.ComputerMiddleClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerMouseMoveConfigParam(TypedDict, total=False):
    # from computer_mouse_move_config_param.ComputerMouseMoveConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerRightClickConfigParam(TypedDict, total=False):
    # from computer_right_click_config_param.ComputerRightClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerScreenshotConfigParam(TypedDict, total=False):
    # from computer_screenshot_config_param.ComputerScreenshotConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerScrollConfigParam(TypedDict, total=False):
    # from computer_scroll_config_param.ComputerScrollConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerTripleClickConfigParam(TypedDict, total=False):
    # from computer_triple_click_config_param.ComputerTripleClickConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerTypeConfigParam(TypedDict, total=False):
    # from computer_type_config_param.ComputerTypeConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerWaitConfigParam(TypedDict, total=False):
    # from computer_wait_config_param.ComputerWaitConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerZoomConfigParam(TypedDict, total=False):
    # from computer_zoom_config_param.ComputerZoomConfigParam
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class ComputerToolsetConfigsParam(TypedDict, total=False):
    # from computer_toolset_configs_param.ComputerToolsetConfigsParam
    __pydantic_config__ = _FORBID

    cursor_position: ComputerCursorPositionConfigParam | None
    double_click: ComputerDoubleClickConfigParam | None
    hold_key: ComputerHoldKeyConfigParam | None
    key: ComputerKeyConfigParam | None
    left_click: ComputerLeftClickConfigParam | None
    left_click_drag: ComputerLeftClickDragConfigParam | None
    left_mouse_down: ComputerLeftMouseDownConfigParam | None
    left_mouse_up: ComputerLeftMouseUpConfigParam | None
    middle_click: ComputerMiddleClickConfigParam | None
    mouse_move: ComputerMouseMoveConfigParam | None
    right_click: ComputerRightClickConfigParam | None
    screenshot: ComputerScreenshotConfigParam | None
    scroll: ComputerScrollConfigParam | None
    triple_click: ComputerTripleClickConfigParam | None
    type: ComputerTypeConfigParam | None
    wait: ComputerWaitConfigParam | None
    zoom: ComputerZoomConfigParam | None


class ComputerToolset20260801Param(TypedDict, total=False):
    # from computer_toolset_20260801_param.ComputerToolset20260801Param
    __pydantic_config__ = _FORBID

    type: Required[Literal["computer_toolset_20260801"]]
    cache_control: CacheControlEphemeralParam | None
    configs: ComputerToolsetConfigsParam | None


class ToolTextEditor20250124Param(TypedDict, total=False):
    # from tool_text_editor_20250124_param.ToolTextEditor20250124Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_editor"]]
    type: Required[Literal["text_editor_20250124"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    input_examples: list[dict[str, object]]
    strict: bool


class ToolTextEditor20250429Param(TypedDict, total=False):
    # from tool_text_editor_20250429_param.ToolTextEditor20250429Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250429"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    input_examples: list[dict[str, object]]
    strict: bool


class ToolTextEditor20250728Param(TypedDict, total=False):
    # from tool_text_editor_20250728_param.ToolTextEditor20250728Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250728"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    input_examples: list[dict[str, object]]
    max_characters: int | None
    strict: bool


class UserLocationParam(TypedDict, total=False):
    # from user_location_param.UserLocationParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["approximate"]]
    city: str | None
    country: str | None
    region: str | None
    timezone: str | None


class WebSearchTool20250305Param(TypedDict, total=False):
    # from web_search_tool_20250305_param.WebSearchTool20250305Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20250305"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    max_uses: int | None
    strict: bool
    user_location: UserLocationParam | None


class WebFetchURLSourceAllParam(TypedDict, total=False):
    # from web_fetch_url_source_all_param.WebFetchURLSourceAllParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["all"]]


class WebFetchURLSourceNoneParam(TypedDict, total=False):
    # from web_fetch_url_source_none_param.WebFetchURLSourceNoneParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["none"]]


class WebFetchURLSourceToolReferenceParam(TypedDict, total=False):
    # from web_fetch_url_source_tool_reference_param.WebFetchURLSourceToolReferenceParam
    __pydantic_config__ = _FORBID

    name: Required[str]
    type: Required[Literal["tool_reference"]]


class WebFetchURLSourceOnlyParam(TypedDict, total=False):
    # from web_fetch_url_source_only_param.WebFetchURLSourceOnlyParam
    __pydantic_config__ = _FORBID

    tools: Required[list[WebFetchURLSourceToolReferenceParam]]
    type: Required[Literal["only"]]


class WebFetchURLSourceExceptParam(TypedDict, total=False):
    # from web_fetch_url_source_except_param.WebFetchURLSourceExceptParam
    __pydantic_config__ = _FORBID

    tools: Required[list[WebFetchURLSourceToolReferenceParam]]
    type: Required[Literal["except"]]


WebFetchURLSourcesParamClientToolResults = Annotated[
    Union[
        Annotated[WebFetchURLSourceAllParam, Tag("all")],
        Annotated[WebFetchURLSourceNoneParam, Tag("none")],
        Annotated[WebFetchURLSourceOnlyParam, Tag("only")],
        Annotated[WebFetchURLSourceExceptParam, Tag("except")],
    ],
    Discriminator(_tag_type),
]

WebFetchURLSourcesParamUserInput = Annotated[
    Union[
        Annotated[WebFetchURLSourceAllParam, Tag("all")],
        Annotated[WebFetchURLSourceNoneParam, Tag("none")],
    ],
    Discriminator(_tag_type),
]


class WebFetchURLSourcesParam(TypedDict, total=False):
    # from web_fetch_url_sources_param.WebFetchURLSourcesParam
    __pydantic_config__ = _FORBID

    client_tool_results: WebFetchURLSourcesParamClientToolResults
    server_tool_results: WebFetchURLSourcesParamClientToolResults
    user_input: WebFetchURLSourcesParamUserInput


class WebFetchTool20250910Param(TypedDict, total=False):
    # from web_fetch_tool_20250910_param.WebFetchTool20250910Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20250910"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam | None
    defer_loading: bool
    max_content_tokens: int | None
    max_uses: int | None
    strict: bool
    url_sources: WebFetchURLSourcesParam | None


class WebSearchTool20260209Param(TypedDict, total=False):
    # from web_search_tool_20260209_param.WebSearchTool20260209Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20260209"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    max_uses: int | None
    strict: bool
    user_location: UserLocationParam | None


class WebFetchTool20260209Param(TypedDict, total=False):
    # from web_fetch_tool_20260209_param.WebFetchTool20260209Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20260209"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam | None
    defer_loading: bool
    max_content_tokens: int | None
    max_uses: int | None
    strict: bool
    url_sources: WebFetchURLSourcesParam | None


class WebFetchTool20260309Param(TypedDict, total=False):
    # from web_fetch_tool_20260309_param.WebFetchTool20260309Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20260309"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam | None
    defer_loading: bool
    max_content_tokens: int | None
    max_uses: int | None
    strict: bool
    url_sources: WebFetchURLSourcesParam | None
    use_cache: bool


class WebSearchTool20260318Param(TypedDict, total=False):
    # from web_search_tool_20260318_param.WebSearchTool20260318Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20260318"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    max_uses: int | None
    response_inclusion: Literal["full", "excluded"]
    strict: bool
    user_location: UserLocationParam | None


class WebFetchTool20260318Param(TypedDict, total=False):
    # from web_fetch_tool_20260318_param.WebFetchTool20260318Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20260318"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam | None
    defer_loading: bool
    max_content_tokens: int | None
    max_uses: int | None
    response_inclusion: Literal["full", "excluded"]
    strict: bool
    url_sources: WebFetchURLSourcesParam | None
    use_cache: bool


class ToolSearchToolBm25_20251119Param(TypedDict, total=False):
    # from tool_search_tool_bm25_20251119_param.ToolSearchToolBm25_20251119Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["tool_search_tool_bm25"]]
    type: Required[Literal["tool_search_tool_bm25_20251119", "tool_search_tool_bm25"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


class ToolSearchToolRegex20251119Param(TypedDict, total=False):
    # from tool_search_tool_regex_20251119_param.ToolSearchToolRegex20251119Param
    __pydantic_config__ = _FORBID

    name: Required[Literal["tool_search_tool_regex"]]
    type: Required[Literal["tool_search_tool_regex_20251119", "tool_search_tool_regex"]]
    allowed_callers: list[
        Literal[
            "direct",
            "code_execution_20250825",
            "code_execution_20260120",
            "code_execution_20260521",
        ]
    ]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


ToolUnionParam = Annotated[
    Union[
        Annotated[ToolParam, Tag("custom")],
        Annotated[ToolBash20250124Param, Tag("bash_20250124")],
        Annotated[CodeExecutionTool20250522Param, Tag("code_execution_20250522")],
        Annotated[CodeExecutionTool20250825Param, Tag("code_execution_20250825")],
        Annotated[CodeExecutionTool20260120Param, Tag("code_execution_20260120")],
        Annotated[CodeExecutionTool20260521Param, Tag("code_execution_20260521")],
        Annotated[BrowserToolset20260801Param, Tag("browser_toolset_20260801")],
        Annotated[MemoryTool20250818Param, Tag("memory_20250818")],
        Annotated[ComputerToolset20260801Param, Tag("computer_toolset_20260801")],
        Annotated[ToolTextEditor20250124Param, Tag("text_editor_20250124")],
        Annotated[ToolTextEditor20250429Param, Tag("text_editor_20250429")],
        Annotated[ToolTextEditor20250728Param, Tag("text_editor_20250728")],
        Annotated[WebSearchTool20250305Param, Tag("web_search_20250305")],
        Annotated[WebFetchTool20250910Param, Tag("web_fetch_20250910")],
        Annotated[WebSearchTool20260209Param, Tag("web_search_20260209")],
        Annotated[WebFetchTool20260209Param, Tag("web_fetch_20260209")],
        Annotated[WebFetchTool20260309Param, Tag("web_fetch_20260309")],
        Annotated[WebSearchTool20260318Param, Tag("web_search_20260318")],
        Annotated[WebFetchTool20260318Param, Tag("web_fetch_20260318")],
        Annotated[ToolSearchToolBm25_20251119Param, Tag("tool_search_tool_bm25_20251119")],
        Annotated[ToolSearchToolBm25_20251119Param, Tag("tool_search_tool_bm25")],
        Annotated[ToolSearchToolRegex20251119Param, Tag("tool_search_tool_regex_20251119")],
        Annotated[ToolSearchToolRegex20251119Param, Tag("tool_search_tool_regex")],
    ],
    Discriminator(_tag_type_or_custom),
]


class MessageCreateParams(TypedDict, total=False):
    # from message_create_params.MessageCreateParamsBase
    __pydantic_config__ = _FORBID

    max_tokens: Required[Annotated[int, Field(ge=0)]]
    messages: Required[list[MessageParam]]
    model: Required[str]
    cache_control: CacheControlEphemeralParam | None
    container: ContainerParamsOrStr | None
    diagnostics: DiagnosticsParam | None
    inference_geo: str | None
    metadata: MetadataParam
    output_config: OutputConfigParam
    service_tier: Literal["auto", "standard_only"]
    speed: Literal["standard", "fast"] | None
    stop_sequences: list[str]
    system: StrOrTextBlockParamList
    thinking: ThinkingConfigParam
    tool_choice: ToolChoiceParam
    tools: list[ToolUnionParam]
    user_profile_id: str
    stream: bool
    temperature: Annotated[float, Field(ge=0, le=1)]
    top_p: Annotated[float, Field(ge=0, le=1)]
    top_k: Annotated[int, Field(ge=0)]


class BetaCacheControlEphemeralParam(TypedDict, total=False):
    # from beta.beta_cache_control_ephemeral_param.BetaCacheControlEphemeralParam
    # from beta.beta_cache_control_ephemeral.BetaCacheControlEphemeral
    __pydantic_config__ = _FORBID

    type: Required[Literal["ephemeral"]]
    ttl: Literal["5m", "1h"] | None


class BetaCitationCharLocationParam(TypedDict, total=False):
    # from beta.beta_citation_char_location_param.BetaCitationCharLocationParam
    # from beta.beta_citation_char_location.BetaCitationCharLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    document_index: Required[int]
    document_title: str | None
    end_char_index: Required[int]
    start_char_index: Required[int]
    type: Required[Literal["char_location"]]
    file_id: str | None


class BetaCitationPageLocationParam(TypedDict, total=False):
    # from beta.beta_citation_page_location_param.BetaCitationPageLocationParam
    # from beta.beta_citation_page_location.BetaCitationPageLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    document_index: Required[int]
    document_title: str | None
    end_page_number: Required[int]
    start_page_number: Required[int]
    type: Required[Literal["page_location"]]
    file_id: str | None


class BetaCitationContentBlockLocationParam(TypedDict, total=False):
    # from beta.beta_citation_content_block_location_param.BetaCitationContentBlockLocationParam
    # from beta.beta_citation_content_block_location.BetaCitationContentBlockLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    document_index: Required[int]
    document_title: str | None
    end_block_index: Required[int]
    start_block_index: Required[int]
    type: Required[Literal["content_block_location"]]
    file_id: str | None


class BetaCitationWebSearchResultLocationParam(TypedDict, total=False):
    # from beta.beta_citation_web_search_result_location_param.BetaCitationWebSearchResultLocationParam
    # from beta.beta_citations_web_search_result_location.BetaCitationsWebSearchResultLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    encrypted_index: Required[str]
    title: str | None
    type: Required[Literal["web_search_result_location"]]
    url: Required[str]


class BetaCitationSearchResultLocationParam(TypedDict, total=False):
    # from beta.beta_citation_search_result_location_param.BetaCitationSearchResultLocationParam
    # from beta.beta_citation_search_result_location.BetaCitationSearchResultLocation
    __pydantic_config__ = _FORBID

    cited_text: Required[str]
    end_block_index: Required[int]
    search_result_index: Required[int]
    source: Required[str]
    start_block_index: Required[int]
    title: str | None
    type: Required[Literal["search_result_location"]]


BetaTextBlockParamCitationsItem = Annotated[
    Union[
        Annotated[BetaCitationCharLocationParam, Tag("char_location")],
        Annotated[BetaCitationPageLocationParam, Tag("page_location")],
        Annotated[BetaCitationContentBlockLocationParam, Tag("content_block_location")],
        Annotated[BetaCitationWebSearchResultLocationParam, Tag("web_search_result_location")],
        Annotated[BetaCitationSearchResultLocationParam, Tag("search_result_location")],
    ],
    Discriminator(_tag_type),
]


class BetaTextBlockParam(TypedDict, total=False):
    # from beta.beta_text_block_param.BetaTextBlockParam
    # from beta.beta_text_block.BetaTextBlock
    __pydantic_config__ = _FORBID

    text: Required[str]
    type: Required[Literal["text"]]
    cache_control: BetaCacheControlEphemeralParam | None
    citations: list[BetaTextBlockParamCitationsItem] | None


class BetaBase64ImageSourceParam(TypedDict, total=False):
    # from beta.beta_base64_image_source_param.BetaBase64ImageSourceParam
    __pydantic_config__ = _FORBID

    data: Required[str]
    media_type: Required[Literal["image/jpeg", "image/png", "image/gif", "image/webp"]]
    type: Required[Literal["base64"]]


class BetaURLImageSourceParam(TypedDict, total=False):
    # from beta.beta_url_image_source_param.BetaURLImageSourceParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["url"]]
    url: Required[str]


class BetaFileImageSourceParam(TypedDict, total=False):
    # from beta.beta_file_image_source_param.BetaFileImageSourceParam
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["file"]]


BetaImageBlockParamSource = Annotated[
    Union[
        Annotated[BetaBase64ImageSourceParam, Tag("base64")],
        Annotated[BetaURLImageSourceParam, Tag("url")],
        Annotated[BetaFileImageSourceParam, Tag("file")],
    ],
    Discriminator(_tag_type),
]


class BetaImageTransformationsParam(TypedDict, total=False):
    # from beta.beta_image_transformations_param.BetaImageTransformationsParam
    __pydantic_config__ = _FORBID

    oversized_image: Literal["downsize", "error"]


class BetaImageBlockParam(TypedDict, total=False):
    # from beta.beta_image_block_param.BetaImageBlockParam
    __pydantic_config__ = _FORBID

    source: Required[BetaImageBlockParamSource]
    type: Required[Literal["image"]]
    cache_control: BetaCacheControlEphemeralParam | None
    transformations: BetaImageTransformationsParam | None


class BetaBase64PDFSourceParam(TypedDict, total=False):
    # from beta.beta_base64_pdf_source_param.BetaBase64PDFSourceParam
    # from beta.beta_base64_pdf_source.BetaBase64PDFSource
    __pydantic_config__ = _FORBID

    data: Required[str]
    media_type: Required[Literal["application/pdf"]]
    type: Required[Literal["base64"]]


class BetaPlainTextSourceParam(TypedDict, total=False):
    # from beta.beta_plain_text_source_param.BetaPlainTextSourceParam
    # from beta.beta_plain_text_source.BetaPlainTextSource
    __pydantic_config__ = _FORBID

    data: Required[str]
    media_type: Required[Literal["text/plain"]]
    type: Required[Literal["text"]]


BetaContentBlockSourceContentParam = Annotated[
    Union[
        Annotated[BetaTextBlockParam, Tag("text")],
        Annotated[BetaImageBlockParam, Tag("image")],
    ],
    Discriminator(_tag_type),
]

StrOrBetaContentBlockSourceContentParamList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[BetaContentBlockSourceContentParam], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class BetaContentBlockSourceParam(TypedDict, total=False):
    # from beta.beta_content_block_source_param.BetaContentBlockSourceParam
    __pydantic_config__ = _FORBID

    content: Required[StrOrBetaContentBlockSourceContentParamList]
    type: Required[Literal["content"]]


class BetaURLPDFSourceParam(TypedDict, total=False):
    # from beta.beta_url_pdf_source_param.BetaURLPDFSourceParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["url"]]
    url: Required[str]


class BetaFileDocumentSourceParam(TypedDict, total=False):
    # from beta.beta_file_document_source_param.BetaFileDocumentSourceParam
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["file"]]


BetaRequestDocumentBlockParamSource = Annotated[
    Union[
        Annotated[BetaBase64PDFSourceParam, Tag("base64")],
        Annotated[BetaPlainTextSourceParam, Tag("text")],
        Annotated[BetaContentBlockSourceParam, Tag("content")],
        Annotated[BetaURLPDFSourceParam, Tag("url")],
        Annotated[BetaFileDocumentSourceParam, Tag("file")],
    ],
    Discriminator(_tag_type),
]


class BetaCitationsConfigParamParam(TypedDict, total=False):
    # from beta.beta_citations_config_param_param.BetaCitationsConfigParamParam
    # from beta.beta_citation_config.BetaCitationConfig
    # from beta.beta_citations_config_param.BetaCitationsConfigParam
    __pydantic_config__ = _FORBID

    enabled: bool | None


class BetaRequestDocumentBlockParam(TypedDict, total=False):
    # from beta.beta_request_document_block_param.BetaRequestDocumentBlockParam
    # from beta.beta_document_block.BetaDocumentBlock
    __pydantic_config__ = _FORBID

    source: Required[BetaRequestDocumentBlockParamSource]
    type: Required[Literal["document"]]
    cache_control: BetaCacheControlEphemeralParam | None
    citations: BetaCitationsConfigParamParam | None
    context: str | None
    title: str | None


class BetaSearchResultBlockParam(TypedDict, total=False):
    # from beta.beta_search_result_block_param.BetaSearchResultBlockParam
    __pydantic_config__ = _FORBID

    content: Required[list[BetaTextBlockParam]]
    source: Required[str]
    title: Required[str]
    type: Required[Literal["search_result"]]
    cache_control: BetaCacheControlEphemeralParam | None
    citations: BetaCitationsConfigParamParam


class BetaThinkingBlockParam(TypedDict, total=False):
    # from beta.beta_thinking_block_param.BetaThinkingBlockParam
    # from beta.beta_thinking_block.BetaThinkingBlock
    __pydantic_config__ = _FORBID

    signature: Required[str]
    thinking: Required[str]
    type: Required[Literal["thinking"]]


class BetaRedactedThinkingBlockParam(TypedDict, total=False):
    # from beta.beta_redacted_thinking_block_param.BetaRedactedThinkingBlockParam
    # from beta.beta_redacted_thinking_block.BetaRedactedThinkingBlock
    __pydantic_config__ = _FORBID

    data: Required[str]
    type: Required[Literal["redacted_thinking"]]


class BetaDirectCallerParam(TypedDict, total=False):
    # from beta.beta_direct_caller_param.BetaDirectCallerParam
    # from beta.beta_direct_caller.BetaDirectCaller
    __pydantic_config__ = _FORBID

    type: Required[Literal["direct"]]


class BetaServerToolCallerParam(TypedDict, total=False):
    # from beta.beta_server_tool_caller_param.BetaServerToolCallerParam
    # from beta.beta_server_tool_caller.BetaServerToolCaller
    __pydantic_config__ = _FORBID

    tool_id: Required[str]
    type: Required[Literal["code_execution_20250825"]]


class BetaServerToolCaller20260120Param(TypedDict, total=False):
    # from beta.beta_server_tool_caller_20260120_param.BetaServerToolCaller20260120Param
    # from beta.beta_server_tool_caller_20260120.BetaServerToolCaller20260120
    __pydantic_config__ = _FORBID

    tool_id: Required[str]
    type: Required[Literal["code_execution_20260120"]]


BetaToolUseBlockParamCaller = Annotated[
    Union[
        Annotated[BetaDirectCallerParam, Tag("direct")],
        Annotated[BetaServerToolCallerParam, Tag("code_execution_20250825")],
        Annotated[BetaServerToolCaller20260120Param, Tag("code_execution_20260120")],
    ],
    Discriminator(_tag_type),
]


class BetaToolUseBlockParam(TypedDict, total=False):
    # from beta.beta_tool_use_block_param.BetaToolUseBlockParam
    # from beta.beta_tool_use_block.BetaToolUseBlock
    __pydantic_config__ = _FORBID

    id: Required[str]
    input: Required[dict[str, object]]
    name: Required[str]
    type: Required[Literal["tool_use"]]
    cache_control: BetaCacheControlEphemeralParam | None
    caller: BetaToolUseBlockParamCaller | None
    toolset_name: str | None


class BetaToolReferenceBlockParam(TypedDict, total=False):
    # from beta.beta_tool_reference_block_param.BetaToolReferenceBlockParam
    # from beta.beta_tool_reference_block.BetaToolReferenceBlock
    __pydantic_config__ = _FORBID

    tool_name: Required[str]
    type: Required[Literal["tool_reference"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaBrowserStateTabEntryParam(TypedDict, total=False):
    # from beta.beta_browser_state_tab_entry_param.BetaBrowserStateTabEntryParam
    __pydantic_config__ = _FORBID

    tab_id: Required[str]
    title: Required[str]
    url: Required[str]
    active: bool


class BetaBrowserStateChangeTabOpenedParam(TypedDict, total=False):
    # from beta.beta_browser_state_change_tab_opened_param.BetaBrowserStateChangeTabOpenedParam
    __pydantic_config__ = _FORBID

    tab_id: Required[str]
    type: Required[Literal["tab_opened"]]


class BetaBrowserStateChangeDownloadStartedParam(TypedDict, total=False):
    # from beta.beta_browser_state_change_download_started_param.BetaBrowserStateChangeDownloadStartedParam
    __pydantic_config__ = _FORBID

    download_id: Required[str]
    type: Required[Literal["download_started"]]
    url: Required[str]


class BetaBrowserStateChangeDownloadCompletedParam(TypedDict, total=False):
    # from beta.beta_browser_state_change_download_completed_param.BetaBrowserStateChangeDownloadCompletedParam
    __pydantic_config__ = _FORBID

    download_id: Required[str]
    type: Required[Literal["download_completed"]]
    url: Required[str]
    path: str | None
    size_bytes: int | None


class BetaBrowserStateChangeDownloadFailedParam(TypedDict, total=False):
    # from beta.beta_browser_state_change_download_failed_param.BetaBrowserStateChangeDownloadFailedParam
    __pydantic_config__ = _FORBID

    download_id: Required[str]
    type: Required[Literal["download_failed"]]
    url: Required[str]
    error: str | None


BetaBrowserStateChangeParam = Annotated[
    Union[
        Annotated[BetaBrowserStateChangeTabOpenedParam, Tag("tab_opened")],
        Annotated[BetaBrowserStateChangeDownloadStartedParam, Tag("download_started")],
        Annotated[BetaBrowserStateChangeDownloadCompletedParam, Tag("download_completed")],
        Annotated[BetaBrowserStateChangeDownloadFailedParam, Tag("download_failed")],
    ],
    Discriminator(_tag_type),
]


class BetaBrowserStateBlockParam(TypedDict, total=False):
    # from beta.beta_browser_state_block_param.BetaBrowserStateBlockParam
    __pydantic_config__ = _FORBID

    tabs: Required[list[BetaBrowserStateTabEntryParam]]
    type: Required[Literal["browser_state"]]
    cache_control: BetaCacheControlEphemeralParam | None
    state_changes: list[BetaBrowserStateChangeParam] | None


BetaToolResultBlockParamContentItem = Annotated[
    Union[
        Annotated[BetaTextBlockParam, Tag("text")],
        Annotated[BetaImageBlockParam, Tag("image")],
        Annotated[BetaSearchResultBlockParam, Tag("search_result")],
        Annotated[BetaRequestDocumentBlockParam, Tag("document")],
        Annotated[BetaToolReferenceBlockParam, Tag("tool_reference")],
        Annotated[BetaBrowserStateBlockParam, Tag("browser_state")],
    ],
    Discriminator(_tag_type),
]

StrOrBetaToolResultBlockParamContentItemList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[BetaToolResultBlockParamContentItem], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class BetaToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_tool_result_block_param.BetaToolResultBlockParam
    __pydantic_config__ = _FORBID

    tool_use_id: Required[str]
    type: Required[Literal["tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None
    content: StrOrBetaToolResultBlockParamContentItemList
    is_error: bool
    toolset_name: str | None


class BetaServerToolUseBlockParam(TypedDict, total=False):
    # from beta.beta_server_tool_use_block_param.BetaServerToolUseBlockParam
    # from beta.beta_server_tool_use_block.BetaServerToolUseBlock
    __pydantic_config__ = _FORBID

    id: Required[str]
    input: Required[dict[str, object]]
    name: Required[
        Literal[
            "advisor",
            "web_search",
            "web_fetch",
            "code_execution",
            "bash_code_execution",
            "text_editor_code_execution",
            "tool_search_tool_regex",
            "tool_search_tool_bm25",
        ]
    ]
    type: Required[Literal["server_tool_use"]]
    cache_control: BetaCacheControlEphemeralParam | None
    caller: BetaToolUseBlockParamCaller | None


class BetaWebSearchResultBlockParam(TypedDict, total=False):
    # from beta.beta_web_search_result_block_param.BetaWebSearchResultBlockParam
    # from beta.beta_web_search_result_block.BetaWebSearchResultBlock
    __pydantic_config__ = _FORBID

    encrypted_content: Required[str]
    title: Required[str]
    type: Required[Literal["web_search_result"]]
    url: Required[str]
    page_age: str | None


class BetaWebSearchToolRequestErrorObjectParam(TypedDict, total=False):
    # from beta.beta_web_search_tool_request_error_object_param.BetaWebSearchToolRequestErrorObjectParam
    # from beta.beta_web_search_tool_result_error_object.BetaWebSearchToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "max_uses_exceeded",
            "too_many_requests",
            "query_too_long",
            "request_too_large",
        ]
    ]
    type: Required[Literal["web_search_tool_result_error"]]


BetaWebSearchResultBlockParamListOrBetaWebSearchToolRequestErrorObjectParam = Annotated[
    Union[
        Annotated[list[BetaWebSearchResultBlockParam], Tag("~list")],
        Annotated[BetaWebSearchToolRequestErrorObjectParam, Tag("~dict")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid list or a valid dictionary",
    ),
]


class BetaWebSearchToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_web_search_tool_result_block_param.BetaWebSearchToolResultBlockParam
    # from beta.beta_web_search_tool_result_block.BetaWebSearchToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaWebSearchResultBlockParamListOrBetaWebSearchToolRequestErrorObjectParam]
    tool_use_id: Required[str]
    type: Required[Literal["web_search_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None
    caller: BetaToolUseBlockParamCaller | None


class BetaWebFetchToolResultErrorBlockParam(TypedDict, total=False):
    # from beta.beta_web_fetch_tool_result_error_block_param.BetaWebFetchToolResultErrorBlockParam
    # from beta.beta_web_fetch_tool_result_error_block.BetaWebFetchToolResultErrorBlock
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "url_too_long",
            "url_not_allowed",
            "url_not_in_prior_context",
            "url_not_accessible",
            "unsupported_content_type",
            "too_many_requests",
            "max_uses_exceeded",
            "unavailable",
            "content_too_large",
        ]
    ]
    type: Required[Literal["web_fetch_tool_result_error"]]


class BetaWebFetchBlockParam(TypedDict, total=False):
    # from beta.beta_web_fetch_block_param.BetaWebFetchBlockParam
    # from beta.beta_web_fetch_block.BetaWebFetchBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaRequestDocumentBlockParam]
    type: Required[Literal["web_fetch_result"]]
    url: Required[str]
    retrieved_at: str | None


BetaWebFetchToolResultBlockParamContent = Annotated[
    Union[
        Annotated[BetaWebFetchToolResultErrorBlockParam, Tag("web_fetch_tool_result_error")],
        Annotated[BetaWebFetchBlockParam, Tag("web_fetch_result")],
    ],
    Discriminator(_tag_type),
]


class BetaWebFetchToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_web_fetch_tool_result_block_param.BetaWebFetchToolResultBlockParam
    # from beta.beta_web_fetch_tool_result_block.BetaWebFetchToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaWebFetchToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["web_fetch_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None
    caller: BetaToolUseBlockParamCaller | None


class BetaAdvisorToolResultErrorParam(TypedDict, total=False):
    # from beta.beta_advisor_tool_result_error_param.BetaAdvisorToolResultErrorParam
    # from beta.beta_advisor_tool_result_error_object.BetaAdvisorToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "max_uses_exceeded",
            "prompt_too_long",
            "too_many_requests",
            "overloaded",
            "unavailable",
            "execution_time_exceeded",
            "model_not_found",
        ]
    ]
    type: Required[Literal["advisor_tool_result_error"]]


class BetaAdvisorResultBlockParam(TypedDict, total=False):
    # from beta.beta_advisor_result_block_param.BetaAdvisorResultBlockParam
    # from beta.beta_advisor_result_block.BetaAdvisorResultBlock
    __pydantic_config__ = _FORBID

    text: Required[str]
    type: Required[Literal["advisor_result"]]
    stop_reason: str | None


class BetaAdvisorRedactedResultBlockParam(TypedDict, total=False):
    # from beta.beta_advisor_redacted_result_block_param.BetaAdvisorRedactedResultBlockParam
    # from beta.beta_advisor_redacted_result_block.BetaAdvisorRedactedResultBlock
    __pydantic_config__ = _FORBID

    encrypted_content: Required[str]
    type: Required[Literal["advisor_redacted_result"]]
    stop_reason: str | None


BetaAdvisorToolResultBlockParamContent = Annotated[
    Union[
        Annotated[BetaAdvisorToolResultErrorParam, Tag("advisor_tool_result_error")],
        Annotated[BetaAdvisorResultBlockParam, Tag("advisor_result")],
        Annotated[BetaAdvisorRedactedResultBlockParam, Tag("advisor_redacted_result")],
    ],
    Discriminator(_tag_type),
]


class BetaAdvisorToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_advisor_tool_result_block_param.BetaAdvisorToolResultBlockParam
    # from beta.beta_advisor_tool_result_block.BetaAdvisorToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaAdvisorToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["advisor_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaCodeExecutionToolResultErrorParam(TypedDict, total=False):
    # from beta.beta_code_execution_tool_result_error_param.BetaCodeExecutionToolResultErrorParam
    # from beta.beta_code_execution_tool_result_error_object.BetaCodeExecutionToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal["invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"]
    ]
    type: Required[Literal["code_execution_tool_result_error"]]


class BetaCodeExecutionOutputBlockParam(TypedDict, total=False):
    # from beta.beta_code_execution_output_block_param.BetaCodeExecutionOutputBlockParam
    # from beta.beta_code_execution_output_block.BetaCodeExecutionOutputBlock
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["code_execution_output"]]


class BetaCodeExecutionResultBlockParam(TypedDict, total=False):
    # from beta.beta_code_execution_result_block_param.BetaCodeExecutionResultBlockParam
    # from beta.beta_code_execution_result_block.BetaCodeExecutionResultBlock
    __pydantic_config__ = _FORBID

    content: Required[list[BetaCodeExecutionOutputBlockParam]]
    return_code: Required[int]
    stderr: Required[str]
    stdout: Required[str]
    type: Required[Literal["code_execution_result"]]


class BetaEncryptedCodeExecutionResultBlockParam(TypedDict, total=False):
    # from beta.beta_encrypted_code_execution_result_block_param.BetaEncryptedCodeExecutionResultBlockParam
    # from beta.beta_encrypted_code_execution_result_block.BetaEncryptedCodeExecutionResultBlock
    __pydantic_config__ = _FORBID

    content: Required[list[BetaCodeExecutionOutputBlockParam]]
    encrypted_stdout: Required[str]
    return_code: Required[int]
    stderr: Required[str]
    type: Required[Literal["encrypted_code_execution_result"]]


BetaCodeExecutionToolResultBlockParamContent = Annotated[
    Union[
        Annotated[BetaCodeExecutionToolResultErrorParam, Tag("code_execution_tool_result_error")],
        Annotated[BetaCodeExecutionResultBlockParam, Tag("code_execution_result")],
        Annotated[
            BetaEncryptedCodeExecutionResultBlockParam, Tag("encrypted_code_execution_result")
        ],
    ],
    Discriminator(_tag_type),
]


class BetaCodeExecutionToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_code_execution_tool_result_block_param.BetaCodeExecutionToolResultBlockParam
    # from beta.beta_code_execution_tool_result_block.BetaCodeExecutionToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaCodeExecutionToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["code_execution_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaBashCodeExecutionToolResultErrorParam(TypedDict, total=False):
    # from beta.beta_bash_code_execution_tool_result_error_param.BetaBashCodeExecutionToolResultErrorParam
    # from beta.beta_bash_code_execution_tool_result_error_object.BetaBashCodeExecutionToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "too_many_requests",
            "execution_time_exceeded",
            "output_file_too_large",
        ]
    ]
    type: Required[Literal["bash_code_execution_tool_result_error"]]


class BetaBashCodeExecutionOutputBlockParam(TypedDict, total=False):
    # from beta.beta_bash_code_execution_output_block_param.BetaBashCodeExecutionOutputBlockParam
    # from beta.beta_bash_code_execution_output_block.BetaBashCodeExecutionOutputBlock
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["bash_code_execution_output"]]


class BetaBashCodeExecutionResultBlockParam(TypedDict, total=False):
    # from beta.beta_bash_code_execution_result_block_param.BetaBashCodeExecutionResultBlockParam
    # from beta.beta_bash_code_execution_result_block.BetaBashCodeExecutionResultBlock
    __pydantic_config__ = _FORBID

    content: Required[list[BetaBashCodeExecutionOutputBlockParam]]
    return_code: Required[int]
    stderr: Required[str]
    stdout: Required[str]
    type: Required[Literal["bash_code_execution_result"]]


BetaBashCodeExecutionToolResultBlockParamContent = Annotated[
    Union[
        Annotated[
            BetaBashCodeExecutionToolResultErrorParam, Tag("bash_code_execution_tool_result_error")
        ],
        Annotated[BetaBashCodeExecutionResultBlockParam, Tag("bash_code_execution_result")],
    ],
    Discriminator(_tag_type),
]


class BetaBashCodeExecutionToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_bash_code_execution_tool_result_block_param.BetaBashCodeExecutionToolResultBlockParam
    # from beta.beta_bash_code_execution_tool_result_block.BetaBashCodeExecutionToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaBashCodeExecutionToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["bash_code_execution_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaTextEditorCodeExecutionToolResultErrorParam(TypedDict, total=False):
    # from beta.beta_text_editor_code_execution_tool_result_error_param.BetaTextEditorCodeExecutionToolResultErrorParam
    # from beta.beta_text_editor_code_execution_tool_result_error_object.BetaTextEditorCodeExecutionToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal[
            "invalid_tool_input",
            "unavailable",
            "too_many_requests",
            "execution_time_exceeded",
            "file_not_found",
        ]
    ]
    type: Required[Literal["text_editor_code_execution_tool_result_error"]]
    error_message: str | None


class BetaTextEditorCodeExecutionViewResultBlockParam(TypedDict, total=False):
    # from beta.beta_text_editor_code_execution_view_result_block_param.BetaTextEditorCodeExecutionViewResultBlockParam
    # from beta.beta_text_editor_code_execution_view_result_block.BetaTextEditorCodeExecutionViewResultBlock
    __pydantic_config__ = _FORBID

    content: Required[str]
    file_type: Required[Literal["text", "image", "pdf"]]
    type: Required[Literal["text_editor_code_execution_view_result"]]
    num_lines: int | None
    start_line: int | None
    total_lines: int | None


class BetaTextEditorCodeExecutionCreateResultBlockParam(TypedDict, total=False):
    # from beta.beta_text_editor_code_execution_create_result_block_param.BetaTextEditorCodeExecutionCreateResultBlockParam
    # from beta.beta_text_editor_code_execution_create_result_block.BetaTextEditorCodeExecutionCreateResultBlock
    __pydantic_config__ = _FORBID

    is_file_update: Required[bool]
    type: Required[Literal["text_editor_code_execution_create_result"]]


class BetaTextEditorCodeExecutionStrReplaceResultBlockParam(TypedDict, total=False):
    # from beta.beta_text_editor_code_execution_str_replace_result_block_param.BetaTextEditorCodeExecutionStrReplaceResultBlockParam
    # from beta.beta_text_editor_code_execution_str_replace_result_block.BetaTextEditorCodeExecutionStrReplaceResultBlock
    __pydantic_config__ = _FORBID

    type: Required[Literal["text_editor_code_execution_str_replace_result"]]
    lines: list[str] | None
    new_lines: int | None
    new_start: int | None
    old_lines: int | None
    old_start: int | None


BetaTextEditorCodeExecutionToolResultBlockParamContent = Annotated[
    Union[
        Annotated[
            BetaTextEditorCodeExecutionToolResultErrorParam,
            Tag("text_editor_code_execution_tool_result_error"),
        ],
        Annotated[
            BetaTextEditorCodeExecutionViewResultBlockParam,
            Tag("text_editor_code_execution_view_result"),
        ],
        Annotated[
            BetaTextEditorCodeExecutionCreateResultBlockParam,
            Tag("text_editor_code_execution_create_result"),
        ],
        Annotated[
            BetaTextEditorCodeExecutionStrReplaceResultBlockParam,
            Tag("text_editor_code_execution_str_replace_result"),
        ],
    ],
    Discriminator(_tag_type),
]


class BetaTextEditorCodeExecutionToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_text_editor_code_execution_tool_result_block_param.BetaTextEditorCodeExecutionToolResultBlockParam
    # from beta.beta_text_editor_code_execution_tool_result_block.BetaTextEditorCodeExecutionToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaTextEditorCodeExecutionToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["text_editor_code_execution_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaToolSearchToolResultErrorParam(TypedDict, total=False):
    # from beta.beta_tool_search_tool_result_error_param.BetaToolSearchToolResultErrorParam
    # from beta.beta_tool_search_tool_result_error_object.BetaToolSearchToolResultErrorObject
    __pydantic_config__ = _FORBID

    error_code: Required[
        Literal["invalid_tool_input", "unavailable", "too_many_requests", "execution_time_exceeded"]
    ]
    type: Required[Literal["tool_search_tool_result_error"]]
    error_message: str | None


class BetaToolSearchToolSearchResultBlockParam(TypedDict, total=False):
    # from beta.beta_tool_search_tool_search_result_block_param.BetaToolSearchToolSearchResultBlockParam
    # from beta.beta_tool_search_tool_search_result_block.BetaToolSearchToolSearchResultBlock
    __pydantic_config__ = _FORBID

    tool_references: Required[list[BetaToolReferenceBlockParam]]
    type: Required[Literal["tool_search_tool_search_result"]]


BetaToolSearchToolResultBlockParamContent = Annotated[
    Union[
        Annotated[BetaToolSearchToolResultErrorParam, Tag("tool_search_tool_result_error")],
        Annotated[BetaToolSearchToolSearchResultBlockParam, Tag("tool_search_tool_search_result")],
    ],
    Discriminator(_tag_type),
]


class BetaToolSearchToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_tool_search_tool_result_block_param.BetaToolSearchToolResultBlockParam
    # from beta.beta_tool_search_tool_result_block.BetaToolSearchToolResultBlock
    __pydantic_config__ = _FORBID

    content: Required[BetaToolSearchToolResultBlockParamContent]
    tool_use_id: Required[str]
    type: Required[Literal["tool_search_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaMCPToolUseBlockParam(TypedDict, total=False):
    # from beta.beta_mcp_tool_use_block_param.BetaMCPToolUseBlockParam
    # from beta.beta_mcp_tool_use_block.BetaMCPToolUseBlock
    __pydantic_config__ = _FORBID

    id: Required[str]
    input: Required[dict[str, object]]
    name: Required[str]
    server_name: Required[str]
    type: Required[Literal["mcp_tool_use"]]
    cache_control: BetaCacheControlEphemeralParam | None


StrOrBetaTextBlockParamList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[BetaTextBlockParam], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class BetaRequestMCPToolResultBlockParam(TypedDict, total=False):
    # from beta.beta_request_mcp_tool_result_block_param.BetaRequestMCPToolResultBlockParam
    # from beta.beta_mcp_tool_result_block.BetaMCPToolResultBlock
    __pydantic_config__ = _FORBID

    tool_use_id: Required[str]
    type: Required[Literal["mcp_tool_result"]]
    cache_control: BetaCacheControlEphemeralParam | None
    content: StrOrBetaTextBlockParamList
    is_error: bool


class BetaContainerUploadBlockParam(TypedDict, total=False):
    # from beta.beta_container_upload_block_param.BetaContainerUploadBlockParam
    # from beta.beta_container_upload_block.BetaContainerUploadBlock
    __pydantic_config__ = _FORBID

    file_id: Required[str]
    type: Required[Literal["container_upload"]]
    cache_control: BetaCacheControlEphemeralParam | None


class BetaToolChangeToolReferenceParam(TypedDict, total=False):
    # from beta.beta_tool_change_tool_reference_param.BetaToolChangeToolReferenceParam
    # from beta.beta_response_tool_change_tool_reference.BetaResponseToolChangeToolReference
    __pydantic_config__ = _FORBID

    name: Required[str]
    type: Required[Literal["tool_reference"]]


class BetaToolChangeMCPToolReferenceParam(TypedDict, total=False):
    # from beta.beta_tool_change_mcp_tool_reference_param.BetaToolChangeMCPToolReferenceParam
    # from beta.beta_response_tool_change_mcp_tool_reference.BetaResponseToolChangeMCPToolReference
    __pydantic_config__ = _FORBID

    name: Required[str]
    server_name: Required[str]
    type: Required[Literal["mcp_tool_reference"]]


class BetaToolChangeMCPToolsetReferenceParam(TypedDict, total=False):
    # from beta.beta_tool_change_mcp_toolset_reference_param.BetaToolChangeMCPToolsetReferenceParam
    # from beta.beta_response_tool_change_mcp_toolset_reference.BetaResponseToolChangeMCPToolsetReference
    __pydantic_config__ = _FORBID

    server_name: Required[str]
    type: Required[Literal["mcp_toolset_reference"]]


class BetaInputSchemaTyped(TypedDict, total=False):
    # from beta.beta_tool_param.InputSchemaTyped
    # from beta.beta_response_tool_input_schema.BetaResponseToolInputSchema
    __pydantic_config__ = _ALLOW

    type: Required[Literal["object"]]
    properties: dict[str, object] | None
    required: list[str] | None


class BetaToolParam(TypedDict, total=False):
    # from beta.beta_tool_param.BetaToolParam
    # from beta.beta_response_tool.BetaResponseTool
    __pydantic_config__ = _FORBID

    input_schema: Required[BetaInputSchemaTyped]
    name: Required[Annotated[str, Field(pattern="^[a-zA-Z0-9_-]{1,128}$")]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    description: str | None
    eager_input_streaming: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None
    type: Literal["custom"] | None


class BetaToolBash20241022Param(TypedDict, total=False):
    # from beta.beta_tool_bash_20241022_param.BetaToolBash20241022Param
    # from beta.beta_tool_bash_20241022.BetaToolBash20241022
    __pydantic_config__ = _FORBID

    name: Required[Literal["bash"]]
    type: Required[Literal["bash_20241022"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaToolBash20250124Param(TypedDict, total=False):
    # from beta.beta_tool_bash_20250124_param.BetaToolBash20250124Param
    # from beta.beta_tool_bash_20250124.BetaToolBash20250124
    __pydantic_config__ = _FORBID

    name: Required[Literal["bash"]]
    type: Required[Literal["bash_20250124"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaCodeExecutionTool20250522Param(TypedDict, total=False):
    # from beta.beta_code_execution_tool_20250522_param.BetaCodeExecutionTool20250522Param
    # from beta.beta_code_execution_tool_20250522.BetaCodeExecutionTool20250522
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20250522"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    strict: bool | None


class BetaCodeExecutionTool20250825Param(TypedDict, total=False):
    # from beta.beta_code_execution_tool_20250825_param.BetaCodeExecutionTool20250825Param
    # from beta.beta_code_execution_tool_20250825.BetaCodeExecutionTool20250825
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20250825"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    strict: bool | None


class BetaCodeExecutionTool20260120Param(TypedDict, total=False):
    # from beta.beta_code_execution_tool_20260120_param.BetaCodeExecutionTool20260120Param
    # from beta.beta_code_execution_tool_20260120.BetaCodeExecutionTool20260120
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20260120"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    strict: bool | None


class BetaCodeExecutionTool20260521Param(TypedDict, total=False):
    # from beta.beta_code_execution_tool_20260521_param.BetaCodeExecutionTool20260521Param
    # from beta.beta_code_execution_tool_20260521.BetaCodeExecutionTool20260521
    __pydantic_config__ = _FORBID

    name: Required[Literal["code_execution"]]
    type: Required[Literal["code_execution_20260521"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    strict: bool | None


class BetaBrowserCloseTabConfigParam(TypedDict, total=False):
    # from beta.beta_browser_close_tab_config_param.BetaBrowserCloseTabConfigParam
    # from beta.beta_browser_close_tab_config.BetaBrowserCloseTabConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserDoubleClickConfigParam(TypedDict, total=False):
    # from beta.beta_browser_double_click_config_param.BetaBrowserDoubleClickConfigParam
    # from beta.beta_browser_double_click_config.BetaBrowserDoubleClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserFileUploadConfigParam(TypedDict, total=False):
    # from beta.beta_browser_file_upload_config_param.BetaBrowserFileUploadConfigParam
    # from beta.beta_browser_file_upload_config.BetaBrowserFileUploadConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserFindConfigParam(TypedDict, total=False):
    # from beta.beta_browser_find_config_param.BetaBrowserFindConfigParam
    # from beta.beta_browser_find_config.BetaBrowserFindConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserFormInputConfigParam(TypedDict, total=False):
    # from beta.beta_browser_form_input_config_param.BetaBrowserFormInputConfigParam
    # from beta.beta_browser_form_input_config.BetaBrowserFormInputConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserGetPageTextConfigParam(TypedDict, total=False):
    # from beta.beta_browser_get_page_text_config_param.BetaBrowserGetPageTextConfigParam
    # from beta.beta_browser_get_page_text_config.BetaBrowserGetPageTextConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserHoldKeyConfigParam(TypedDict, total=False):
    # from beta.beta_browser_hold_key_config_param.BetaBrowserHoldKeyConfigParam
    # from beta.beta_browser_hold_key_config.BetaBrowserHoldKeyConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserHoverConfigParam(TypedDict, total=False):
    # from beta.beta_browser_hover_config_param.BetaBrowserHoverConfigParam
    # from beta.beta_browser_hover_config.BetaBrowserHoverConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserJavascriptExecConfigParam(TypedDict, total=False):
    # from beta.beta_browser_javascript_exec_config_param.BetaBrowserJavascriptExecConfigParam
    # from beta.beta_browser_javascript_exec_config.BetaBrowserJavascriptExecConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserKeyConfigParam(TypedDict, total=False):
    # from beta.beta_browser_key_config_param.BetaBrowserKeyConfigParam
    # from beta.beta_browser_key_config.BetaBrowserKeyConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserLeftClickConfigParam(TypedDict, total=False):
    # from beta.beta_browser_left_click_config_param.BetaBrowserLeftClickConfigParam
    # from beta.beta_browser_left_click_config.BetaBrowserLeftClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserLeftClickDragConfigParam(TypedDict, total=False):
    # from beta.beta_browser_left_click_drag_config_param.BetaBrowserLeftClickDragConfigParam
    # from beta.beta_browser_left_click_drag_config.BetaBrowserLeftClickDragConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserLeftMouseDownConfigParam(TypedDict, total=False):
    # from beta.beta_browser_left_mouse_down_config_param.BetaBrowserLeftMouseDownConfigParam
    # from beta.beta_browser_left_mouse_down_config.BetaBrowserLeftMouseDownConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserLeftMouseUpConfigParam(TypedDict, total=False):
    # from beta.beta_browser_left_mouse_up_config_param.BetaBrowserLeftMouseUpConfigParam
    # from beta.beta_browser_left_mouse_up_config.BetaBrowserLeftMouseUpConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserListTabsConfigParam(TypedDict, total=False):
    # from beta.beta_browser_list_tabs_config_param.BetaBrowserListTabsConfigParam
    # from beta.beta_browser_list_tabs_config.BetaBrowserListTabsConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserMiddleClickConfigParam(TypedDict, total=False):
    # from beta.beta_browser_middle_click_config_param.BetaBrowserMiddleClickConfigParam
    # from beta.beta_browser_middle_click_config.BetaBrowserMiddleClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserMouseMoveConfigParam(TypedDict, total=False):
    # from beta.beta_browser_mouse_move_config_param.BetaBrowserMouseMoveConfigParam
    # from beta.beta_browser_mouse_move_config.BetaBrowserMouseMoveConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserNavigateConfigParam(TypedDict, total=False):
    # from beta.beta_browser_navigate_config_param.BetaBrowserNavigateConfigParam
    # from beta.beta_browser_navigate_config.BetaBrowserNavigateConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserNewTabConfigParam(TypedDict, total=False):
    # from beta.beta_browser_new_tab_config_param.BetaBrowserNewTabConfigParam
    # from beta.beta_browser_new_tab_config.BetaBrowserNewTabConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserReadConsoleConfigParam(TypedDict, total=False):
    # from beta.beta_browser_read_console_config_param.BetaBrowserReadConsoleConfigParam
    # from beta.beta_browser_read_console_config.BetaBrowserReadConsoleConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserReadNetworkConfigParam(TypedDict, total=False):
    # from beta.beta_browser_read_network_config_param.BetaBrowserReadNetworkConfigParam
    # from beta.beta_browser_read_network_config.BetaBrowserReadNetworkConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserReadPageConfigParam(TypedDict, total=False):
    # from beta.beta_browser_read_page_config_param.BetaBrowserReadPageConfigParam
    # from beta.beta_browser_read_page_config.BetaBrowserReadPageConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserRightClickConfigParam(TypedDict, total=False):
    # from beta.beta_browser_right_click_config_param.BetaBrowserRightClickConfigParam
    # from beta.beta_browser_right_click_config.BetaBrowserRightClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserScreenshotConfigParam(TypedDict, total=False):
    # from beta.beta_browser_screenshot_config_param.BetaBrowserScreenshotConfigParam
    # from beta.beta_browser_screenshot_config.BetaBrowserScreenshotConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserScrollConfigParam(TypedDict, total=False):
    # from beta.beta_browser_scroll_config_param.BetaBrowserScrollConfigParam
    # from beta.beta_browser_scroll_config.BetaBrowserScrollConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserScrollToConfigParam(TypedDict, total=False):
    # from beta.beta_browser_scroll_to_config_param.BetaBrowserScrollToConfigParam
    # from beta.beta_browser_scroll_to_config.BetaBrowserScrollToConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserSwitchTabConfigParam(TypedDict, total=False):
    # from beta.beta_browser_switch_tab_config_param.BetaBrowserSwitchTabConfigParam
    # from beta.beta_browser_switch_tab_config.BetaBrowserSwitchTabConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserTripleClickConfigParam(TypedDict, total=False):
    # from beta.beta_browser_triple_click_config_param.BetaBrowserTripleClickConfigParam
    # from beta.beta_browser_triple_click_config.BetaBrowserTripleClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserTypeConfigParam(TypedDict, total=False):
    # from beta.beta_browser_type_config_param.BetaBrowserTypeConfigParam
    # from beta.beta_browser_type_config.BetaBrowserTypeConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserWaitConfigParam(TypedDict, total=False):
    # from beta.beta_browser_wait_config_param.BetaBrowserWaitConfigParam
    # from beta.beta_browser_wait_config.BetaBrowserWaitConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserZoomConfigParam(TypedDict, total=False):
    # from beta.beta_browser_zoom_config_param.BetaBrowserZoomConfigParam
    # from beta.beta_browser_zoom_config.BetaBrowserZoomConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaBrowserToolsetConfigsParam(TypedDict, total=False):
    # from beta.beta_browser_toolset_configs_param.BetaBrowserToolsetConfigsParam
    # from beta.beta_browser_toolset_configs.BetaBrowserToolsetConfigs
    __pydantic_config__ = _FORBID

    close_tab: BetaBrowserCloseTabConfigParam | None
    double_click: BetaBrowserDoubleClickConfigParam | None
    file_upload: BetaBrowserFileUploadConfigParam | None
    find: BetaBrowserFindConfigParam | None
    form_input: BetaBrowserFormInputConfigParam | None
    get_page_text: BetaBrowserGetPageTextConfigParam | None
    hold_key: BetaBrowserHoldKeyConfigParam | None
    hover: BetaBrowserHoverConfigParam | None
    javascript_exec: BetaBrowserJavascriptExecConfigParam | None
    key: BetaBrowserKeyConfigParam | None
    left_click: BetaBrowserLeftClickConfigParam | None
    left_click_drag: BetaBrowserLeftClickDragConfigParam | None
    left_mouse_down: BetaBrowserLeftMouseDownConfigParam | None
    left_mouse_up: BetaBrowserLeftMouseUpConfigParam | None
    list_tabs: BetaBrowserListTabsConfigParam | None
    middle_click: BetaBrowserMiddleClickConfigParam | None
    mouse_move: BetaBrowserMouseMoveConfigParam | None
    navigate: BetaBrowserNavigateConfigParam | None
    new_tab: BetaBrowserNewTabConfigParam | None
    read_console: BetaBrowserReadConsoleConfigParam | None
    read_network: BetaBrowserReadNetworkConfigParam | None
    read_page: BetaBrowserReadPageConfigParam | None
    right_click: BetaBrowserRightClickConfigParam | None
    screenshot: BetaBrowserScreenshotConfigParam | None
    scroll: BetaBrowserScrollConfigParam | None
    scroll_to: BetaBrowserScrollToConfigParam | None
    switch_tab: BetaBrowserSwitchTabConfigParam | None
    triple_click: BetaBrowserTripleClickConfigParam | None
    type: BetaBrowserTypeConfigParam | None
    wait: BetaBrowserWaitConfigParam | None
    zoom: BetaBrowserZoomConfigParam | None


class BetaBrowserToolset20260801Param(TypedDict, total=False):
    # from beta.beta_browser_toolset_20260801_param.BetaBrowserToolset20260801Param
    # from beta.beta_browser_toolset_20260801.BetaBrowserToolset20260801
    __pydantic_config__ = _FORBID

    type: Required[Literal["browser_toolset_20260801"]]
    cache_control: BetaCacheControlEphemeralParam | None
    configs: BetaBrowserToolsetConfigsParam | None


class BetaToolComputerUse20241022Param(TypedDict, total=False):
    # from beta.beta_tool_computer_use_20241022_param.BetaToolComputerUse20241022Param
    # from beta.beta_tool_computer_use_20241022.BetaToolComputerUse20241022
    __pydantic_config__ = _FORBID

    display_height_px: Required[int]
    display_width_px: Required[int]
    name: Required[Literal["computer"]]
    type: Required[Literal["computer_20241022"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    display_number: int | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaMemoryTool20250818Param(TypedDict, total=False):
    # from beta.beta_memory_tool_20250818_param.BetaMemoryTool20250818Param
    # from beta.beta_memory_tool_20250818.BetaMemoryTool20250818
    __pydantic_config__ = _FORBID

    name: Required[Literal["memory"]]
    type: Required[Literal["memory_20250818"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaToolComputerUse20250124Param(TypedDict, total=False):
    # from beta.beta_tool_computer_use_20250124_param.BetaToolComputerUse20250124Param
    # from beta.beta_tool_computer_use_20250124.BetaToolComputerUse20250124
    __pydantic_config__ = _FORBID

    display_height_px: Required[int]
    display_width_px: Required[int]
    name: Required[Literal["computer"]]
    type: Required[Literal["computer_20250124"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    display_number: int | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaToolTextEditor20241022Param(TypedDict, total=False):
    # from beta.beta_tool_text_editor_20241022_param.BetaToolTextEditor20241022Param
    # from beta.beta_tool_text_editor_20241022.BetaToolTextEditor20241022
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_editor"]]
    type: Required[Literal["text_editor_20241022"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaToolComputerUse20251124Param(TypedDict, total=False):
    # from beta.beta_tool_computer_use_20251124_param.BetaToolComputerUse20251124Param
    # from beta.beta_tool_computer_use_20251124.BetaToolComputerUse20251124
    __pydantic_config__ = _FORBID

    display_height_px: Required[int]
    display_width_px: Required[int]
    name: Required[Literal["computer"]]
    type: Required[Literal["computer_20251124"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    display_number: int | None
    enable_zoom: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaComputerCursorPositionConfigParam(TypedDict, total=False):
    # from beta.beta_computer_cursor_position_config_param.BetaComputerCursorPositionConfigParam
    # from beta.beta_computer_cursor_position_config.BetaComputerCursorPositionConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerDoubleClickConfigParam(TypedDict, total=False):
    # from beta.beta_computer_double_click_config_param.BetaComputerDoubleClickConfigParam
    # from beta.beta_computer_double_click_config.BetaComputerDoubleClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerHoldKeyConfigParam(TypedDict, total=False):
    # from beta.beta_computer_hold_key_config_param.BetaComputerHoldKeyConfigParam
    # from beta.beta_computer_hold_key_config.BetaComputerHoldKeyConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerKeyConfigParam(TypedDict, total=False):
    # from beta.beta_computer_key_config_param.BetaComputerKeyConfigParam
    # from beta.beta_computer_key_config.BetaComputerKeyConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerLeftClickConfigParam(TypedDict, total=False):
    # from beta.beta_computer_left_click_config_param.BetaComputerLeftClickConfigParam
    # from beta.beta_computer_left_click_config.BetaComputerLeftClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerLeftClickDragConfigParam(TypedDict, total=False):
    # from beta.beta_computer_left_click_drag_config_param.BetaComputerLeftClickDragConfigParam
    # from beta.beta_computer_left_click_drag_config.BetaComputerLeftClickDragConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerLeftMouseDownConfigParam(TypedDict, total=False):
    # from beta.beta_computer_left_mouse_down_config_param.BetaComputerLeftMouseDownConfigParam
    # from beta.beta_computer_left_mouse_down_config.BetaComputerLeftMouseDownConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerLeftMouseUpConfigParam(TypedDict, total=False):
    # from beta.beta_computer_left_mouse_up_config_param.BetaComputerLeftMouseUpConfigParam
    # from beta.beta_computer_left_mouse_up_config.BetaComputerLeftMouseUpConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerMiddleClickConfigParam(TypedDict, total=False):
    # from beta.beta_computer_middle_click_config_param.BetaComputerMiddleClickConfigParam
    # from beta.beta_computer_middle_click_config.BetaComputerMiddleClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerMouseMoveConfigParam(TypedDict, total=False):
    # from beta.beta_computer_mouse_move_config_param.BetaComputerMouseMoveConfigParam
    # from beta.beta_computer_mouse_move_config.BetaComputerMouseMoveConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerRightClickConfigParam(TypedDict, total=False):
    # from beta.beta_computer_right_click_config_param.BetaComputerRightClickConfigParam
    # from beta.beta_computer_right_click_config.BetaComputerRightClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerScreenshotConfigParam(TypedDict, total=False):
    # from beta.beta_computer_screenshot_config_param.BetaComputerScreenshotConfigParam
    # from beta.beta_computer_screenshot_config.BetaComputerScreenshotConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerScrollConfigParam(TypedDict, total=False):
    # from beta.beta_computer_scroll_config_param.BetaComputerScrollConfigParam
    # from beta.beta_computer_scroll_config.BetaComputerScrollConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerTripleClickConfigParam(TypedDict, total=False):
    # from beta.beta_computer_triple_click_config_param.BetaComputerTripleClickConfigParam
    # from beta.beta_computer_triple_click_config.BetaComputerTripleClickConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerTypeConfigParam(TypedDict, total=False):
    # from beta.beta_computer_type_config_param.BetaComputerTypeConfigParam
    # from beta.beta_computer_type_config.BetaComputerTypeConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerWaitConfigParam(TypedDict, total=False):
    # from beta.beta_computer_wait_config_param.BetaComputerWaitConfigParam
    # from beta.beta_computer_wait_config.BetaComputerWaitConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerZoomConfigParam(TypedDict, total=False):
    # from beta.beta_computer_zoom_config_param.BetaComputerZoomConfigParam
    # from beta.beta_computer_zoom_config.BetaComputerZoomConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaComputerToolsetConfigsParam(TypedDict, total=False):
    # from beta.beta_computer_toolset_configs_param.BetaComputerToolsetConfigsParam
    # from beta.beta_computer_toolset_configs.BetaComputerToolsetConfigs
    __pydantic_config__ = _FORBID

    cursor_position: BetaComputerCursorPositionConfigParam | None
    double_click: BetaComputerDoubleClickConfigParam | None
    hold_key: BetaComputerHoldKeyConfigParam | None
    key: BetaComputerKeyConfigParam | None
    left_click: BetaComputerLeftClickConfigParam | None
    left_click_drag: BetaComputerLeftClickDragConfigParam | None
    left_mouse_down: BetaComputerLeftMouseDownConfigParam | None
    left_mouse_up: BetaComputerLeftMouseUpConfigParam | None
    middle_click: BetaComputerMiddleClickConfigParam | None
    mouse_move: BetaComputerMouseMoveConfigParam | None
    right_click: BetaComputerRightClickConfigParam | None
    screenshot: BetaComputerScreenshotConfigParam | None
    scroll: BetaComputerScrollConfigParam | None
    triple_click: BetaComputerTripleClickConfigParam | None
    type: BetaComputerTypeConfigParam | None
    wait: BetaComputerWaitConfigParam | None
    zoom: BetaComputerZoomConfigParam | None


class BetaComputerToolset20260801Param(TypedDict, total=False):
    # from beta.beta_computer_toolset_20260801_param.BetaComputerToolset20260801Param
    # from beta.beta_computer_toolset_20260801.BetaComputerToolset20260801
    __pydantic_config__ = _FORBID

    type: Required[Literal["computer_toolset_20260801"]]
    cache_control: BetaCacheControlEphemeralParam | None
    configs: BetaComputerToolsetConfigsParam | None


class BetaToolTextEditor20250124Param(TypedDict, total=False):
    # from beta.beta_tool_text_editor_20250124_param.BetaToolTextEditor20250124Param
    # from beta.beta_tool_text_editor_20250124.BetaToolTextEditor20250124
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_editor"]]
    type: Required[Literal["text_editor_20250124"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaToolTextEditor20250429Param(TypedDict, total=False):
    # from beta.beta_tool_text_editor_20250429_param.BetaToolTextEditor20250429Param
    # from beta.beta_tool_text_editor_20250429.BetaToolTextEditor20250429
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250429"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    strict: bool | None


class BetaToolTextEditor20250728Param(TypedDict, total=False):
    # from beta.beta_tool_text_editor_20250728_param.BetaToolTextEditor20250728Param
    # from beta.beta_tool_text_editor_20250728.BetaToolTextEditor20250728
    __pydantic_config__ = _FORBID

    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250728"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    input_examples: list[dict[str, object]] | None
    max_characters: int | None
    strict: bool | None


class BetaUserLocationParam(TypedDict, total=False):
    # from beta.beta_user_location_param.BetaUserLocationParam
    # from beta.beta_user_location.BetaUserLocation
    __pydantic_config__ = _FORBID

    type: Required[Literal["approximate"]]
    city: str | None
    country: str | None
    region: str | None
    timezone: str | None


class BetaWebSearchTool20250305Param(TypedDict, total=False):
    # from beta.beta_web_search_tool_20250305_param.BetaWebSearchTool20250305Param
    # from beta.beta_web_search_tool_20250305.BetaWebSearchTool20250305
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20250305"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    max_uses: int | None
    strict: bool | None
    user_location: BetaUserLocationParam | None


class BetaWebFetchURLSourceAllParam(TypedDict, total=False):
    # from beta.beta_web_fetch_url_source_all_param.BetaWebFetchURLSourceAllParam
    # from beta.beta_web_fetch_url_source_all.BetaWebFetchURLSourceAll
    __pydantic_config__ = _FORBID

    type: Required[Literal["all"]]


class BetaWebFetchURLSourceNoneParam(TypedDict, total=False):
    # from beta.beta_web_fetch_url_source_none_param.BetaWebFetchURLSourceNoneParam
    # from beta.beta_web_fetch_url_source_none.BetaWebFetchURLSourceNone
    __pydantic_config__ = _FORBID

    type: Required[Literal["none"]]


class BetaWebFetchURLSourceToolReferenceParam(TypedDict, total=False):
    # from beta.beta_web_fetch_url_source_tool_reference_param.BetaWebFetchURLSourceToolReferenceParam
    # from beta.beta_web_fetch_url_source_tool_reference.BetaWebFetchURLSourceToolReference
    __pydantic_config__ = _FORBID

    name: Required[str]
    type: Required[Literal["tool_reference"]]


class BetaWebFetchURLSourceOnlyParam(TypedDict, total=False):
    # from beta.beta_web_fetch_url_source_only_param.BetaWebFetchURLSourceOnlyParam
    # from beta.beta_web_fetch_url_source_only.BetaWebFetchURLSourceOnly
    __pydantic_config__ = _FORBID

    tools: Required[list[BetaWebFetchURLSourceToolReferenceParam]]
    type: Required[Literal["only"]]


class BetaWebFetchURLSourceExceptParam(TypedDict, total=False):
    # from beta.beta_web_fetch_url_source_except_param.BetaWebFetchURLSourceExceptParam
    # from beta.beta_web_fetch_url_source_except.BetaWebFetchURLSourceExcept
    __pydantic_config__ = _FORBID

    tools: Required[list[BetaWebFetchURLSourceToolReferenceParam]]
    type: Required[Literal["except"]]


BetaWebFetchURLSourcesParamClientToolResults = Annotated[
    Union[
        Annotated[BetaWebFetchURLSourceAllParam, Tag("all")],
        Annotated[BetaWebFetchURLSourceNoneParam, Tag("none")],
        Annotated[BetaWebFetchURLSourceOnlyParam, Tag("only")],
        Annotated[BetaWebFetchURLSourceExceptParam, Tag("except")],
    ],
    Discriminator(_tag_type),
]

BetaWebFetchURLSourcesParamUserInput = Annotated[
    Union[
        Annotated[BetaWebFetchURLSourceAllParam, Tag("all")],
        Annotated[BetaWebFetchURLSourceNoneParam, Tag("none")],
    ],
    Discriminator(_tag_type),
]


class BetaWebFetchURLSourcesParam(TypedDict, total=False):
    # from beta.beta_web_fetch_url_sources_param.BetaWebFetchURLSourcesParam
    # from beta.beta_web_fetch_url_sources.BetaWebFetchURLSources
    __pydantic_config__ = _FORBID

    client_tool_results: BetaWebFetchURLSourcesParamClientToolResults | None
    server_tool_results: BetaWebFetchURLSourcesParamClientToolResults | None
    user_input: BetaWebFetchURLSourcesParamUserInput | None


class BetaWebFetchTool20250910Param(TypedDict, total=False):
    # from beta.beta_web_fetch_tool_20250910_param.BetaWebFetchTool20250910Param
    # from beta.beta_web_fetch_tool_20250910.BetaWebFetchTool20250910
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20250910"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    citations: BetaCitationsConfigParamParam | None
    defer_loading: bool | None
    max_content_tokens: int | None
    max_uses: int | None
    strict: bool | None
    url_sources: BetaWebFetchURLSourcesParam | None


class BetaWebSearchTool20260209Param(TypedDict, total=False):
    # from beta.beta_web_search_tool_20260209_param.BetaWebSearchTool20260209Param
    # from beta.beta_web_search_tool_20260209.BetaWebSearchTool20260209
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20260209"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    max_uses: int | None
    strict: bool | None
    user_location: BetaUserLocationParam | None


class BetaWebFetchTool20260209Param(TypedDict, total=False):
    # from beta.beta_web_fetch_tool_20260209_param.BetaWebFetchTool20260209Param
    # from beta.beta_web_fetch_tool_20260209.BetaWebFetchTool20260209
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20260209"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    citations: BetaCitationsConfigParamParam | None
    defer_loading: bool | None
    max_content_tokens: int | None
    max_uses: int | None
    strict: bool | None
    url_sources: BetaWebFetchURLSourcesParam | None


class BetaWebFetchTool20260309Param(TypedDict, total=False):
    # from beta.beta_web_fetch_tool_20260309_param.BetaWebFetchTool20260309Param
    # from beta.beta_web_fetch_tool_20260309.BetaWebFetchTool20260309
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20260309"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    citations: BetaCitationsConfigParamParam | None
    defer_loading: bool | None
    max_content_tokens: int | None
    max_uses: int | None
    strict: bool | None
    url_sources: BetaWebFetchURLSourcesParam | None
    use_cache: bool | None


class BetaWebSearchTool20260318Param(TypedDict, total=False):
    # from beta.beta_web_search_tool_20260318_param.BetaWebSearchTool20260318Param
    # from beta.beta_web_search_tool_20260318.BetaWebSearchTool20260318
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_search"]]
    type: Required[Literal["web_search_20260318"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    max_uses: int | None
    response_inclusion: Literal["full", "excluded"] | None
    strict: bool | None
    user_location: BetaUserLocationParam | None


class BetaWebFetchTool20260318Param(TypedDict, total=False):
    # from beta.beta_web_fetch_tool_20260318_param.BetaWebFetchTool20260318Param
    # from beta.beta_web_fetch_tool_20260318.BetaWebFetchTool20260318
    __pydantic_config__ = _FORBID

    name: Required[Literal["web_fetch"]]
    type: Required[Literal["web_fetch_20260318"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    allowed_domains: list[str] | None
    blocked_domains: list[str] | None
    cache_control: BetaCacheControlEphemeralParam | None
    citations: BetaCitationsConfigParamParam | None
    defer_loading: bool | None
    max_content_tokens: int | None
    max_uses: int | None
    response_inclusion: Literal["full", "excluded"] | None
    strict: bool | None
    url_sources: BetaWebFetchURLSourcesParam | None
    use_cache: bool | None


class BetaAdvisorTool20260301Param(TypedDict, total=False):
    # from beta.beta_advisor_tool_20260301_param.BetaAdvisorTool20260301Param
    # from beta.beta_advisor_tool_20260301.BetaAdvisorTool20260301
    __pydantic_config__ = _FORBID

    model: Required[str]
    name: Required[Literal["advisor"]]
    type: Required[Literal["advisor_20260301"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    caching: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    max_tokens: int | None
    max_uses: int | None
    strict: bool | None


class BetaToolSearchToolBm25_20251119Param(TypedDict, total=False):
    # from beta.beta_tool_search_tool_bm25_20251119_param.BetaToolSearchToolBm25_20251119Param
    # from beta.beta_tool_search_tool_bm25_20251119.BetaToolSearchToolBm25_20251119
    __pydantic_config__ = _FORBID

    name: Required[Literal["tool_search_tool_bm25"]]
    type: Required[Literal["tool_search_tool_bm25_20251119", "tool_search_tool_bm25"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    strict: bool | None


class BetaToolSearchToolRegex20251119Param(TypedDict, total=False):
    # from beta.beta_tool_search_tool_regex_20251119_param.BetaToolSearchToolRegex20251119Param
    # from beta.beta_tool_search_tool_regex_20251119.BetaToolSearchToolRegex20251119
    __pydantic_config__ = _FORBID

    name: Required[Literal["tool_search_tool_regex"]]
    type: Required[Literal["tool_search_tool_regex_20251119", "tool_search_tool_regex"]]
    allowed_callers: (
        list[
            Literal[
                "direct",
                "code_execution_20250825",
                "code_execution_20260120",
                "code_execution_20260521",
            ]
        ]
        | None
    )
    cache_control: BetaCacheControlEphemeralParam | None
    defer_loading: bool | None
    strict: bool | None


class BetaMCPToolConfigParam(TypedDict, total=False):
    # from beta.beta_mcp_tool_config_param.BetaMCPToolConfigParam
    # from beta.beta_mcp_tool_config.BetaMCPToolConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaMCPToolDefaultConfigParam(TypedDict, total=False):
    # from beta.beta_mcp_tool_default_config_param.BetaMCPToolDefaultConfigParam
    # from beta.beta_mcp_tool_default_config.BetaMCPToolDefaultConfig
    __pydantic_config__ = _FORBID

    defer_loading: bool | None
    enabled: bool | None


class BetaMCPToolParamParam(TypedDict, total=False):
    # from beta.beta_mcp_tool_param_param.BetaMCPToolParamParam
    # from beta.beta_mcp_tool_param.BetaMCPToolParam
    # from beta.beta_mcp_tool.BetaMCPTool
    __pydantic_config__ = _FORBID

    input_schema: Required[dict[str, object]]
    name: Required[str]
    description: str | None


class BetaMCPToolsetParam(TypedDict, total=False):
    # from beta.beta_mcp_toolset_param.BetaMCPToolsetParam
    # from beta.beta_mcp_toolset.BetaMCPToolset
    __pydantic_config__ = _FORBID

    mcp_server_name: Required[str]
    type: Required[Literal["mcp_toolset"]]
    cache_control: BetaCacheControlEphemeralParam | None
    configs: dict[str, BetaMCPToolConfigParam] | None
    default_config: BetaMCPToolDefaultConfigParam | None
    tools: list[BetaMCPToolParamParam] | None


BetaToolUnionParam = Annotated[
    Union[
        Annotated[BetaToolParam, Tag("custom")],
        Annotated[BetaToolBash20241022Param, Tag("bash_20241022")],
        Annotated[BetaToolBash20250124Param, Tag("bash_20250124")],
        Annotated[BetaCodeExecutionTool20250522Param, Tag("code_execution_20250522")],
        Annotated[BetaCodeExecutionTool20250825Param, Tag("code_execution_20250825")],
        Annotated[BetaCodeExecutionTool20260120Param, Tag("code_execution_20260120")],
        Annotated[BetaCodeExecutionTool20260521Param, Tag("code_execution_20260521")],
        Annotated[BetaBrowserToolset20260801Param, Tag("browser_toolset_20260801")],
        Annotated[BetaToolComputerUse20241022Param, Tag("computer_20241022")],
        Annotated[BetaMemoryTool20250818Param, Tag("memory_20250818")],
        Annotated[BetaToolComputerUse20250124Param, Tag("computer_20250124")],
        Annotated[BetaToolTextEditor20241022Param, Tag("text_editor_20241022")],
        Annotated[BetaToolComputerUse20251124Param, Tag("computer_20251124")],
        Annotated[BetaComputerToolset20260801Param, Tag("computer_toolset_20260801")],
        Annotated[BetaToolTextEditor20250124Param, Tag("text_editor_20250124")],
        Annotated[BetaToolTextEditor20250429Param, Tag("text_editor_20250429")],
        Annotated[BetaToolTextEditor20250728Param, Tag("text_editor_20250728")],
        Annotated[BetaWebSearchTool20250305Param, Tag("web_search_20250305")],
        Annotated[BetaWebFetchTool20250910Param, Tag("web_fetch_20250910")],
        Annotated[BetaWebSearchTool20260209Param, Tag("web_search_20260209")],
        Annotated[BetaWebFetchTool20260209Param, Tag("web_fetch_20260209")],
        Annotated[BetaWebFetchTool20260309Param, Tag("web_fetch_20260309")],
        Annotated[BetaWebSearchTool20260318Param, Tag("web_search_20260318")],
        Annotated[BetaWebFetchTool20260318Param, Tag("web_fetch_20260318")],
        Annotated[BetaAdvisorTool20260301Param, Tag("advisor_20260301")],
        Annotated[BetaToolSearchToolBm25_20251119Param, Tag("tool_search_tool_bm25_20251119")],
        Annotated[BetaToolSearchToolBm25_20251119Param, Tag("tool_search_tool_bm25")],
        Annotated[BetaToolSearchToolRegex20251119Param, Tag("tool_search_tool_regex_20251119")],
        Annotated[BetaToolSearchToolRegex20251119Param, Tag("tool_search_tool_regex")],
        Annotated[BetaMCPToolsetParam, Tag("mcp_toolset")],
    ],
    Discriminator(_tag_type_or_custom),
]


class BetaToolChangeToolDefinitionParam(TypedDict, total=False):
    # from beta.beta_tool_change_tool_definition_param.BetaToolChangeToolDefinitionParam
    # from beta.beta_tool_change_tool_definition.BetaToolChangeToolDefinition
    __pydantic_config__ = _FORBID

    definition: Required[BetaToolUnionParam]
    type: Required[Literal["tool_definition"]]


BetaRequestToolAdditionBlockParamTool = Annotated[
    Union[
        Annotated[BetaToolChangeToolReferenceParam, Tag("tool_reference")],
        Annotated[BetaToolChangeMCPToolReferenceParam, Tag("mcp_tool_reference")],
        Annotated[BetaToolChangeMCPToolsetReferenceParam, Tag("mcp_toolset_reference")],
        Annotated[BetaToolChangeToolDefinitionParam, Tag("tool_definition")],
    ],
    Discriminator(_tag_type),
]


class BetaRequestToolAdditionBlockParam(TypedDict, total=False):
    # from beta.beta_request_tool_addition_block_param.BetaRequestToolAdditionBlockParam
    # from beta.beta_response_tool_addition_block.BetaResponseToolAdditionBlock
    __pydantic_config__ = _FORBID

    tool: Required[BetaRequestToolAdditionBlockParamTool]
    type: Required[Literal["tool_addition"]]
    cache_control: BetaCacheControlEphemeralParam | None


BetaRequestToolRemovalBlockParamTool = Annotated[
    Union[
        Annotated[BetaToolChangeToolReferenceParam, Tag("tool_reference")],
        Annotated[BetaToolChangeMCPToolReferenceParam, Tag("mcp_tool_reference")],
        Annotated[BetaToolChangeMCPToolsetReferenceParam, Tag("mcp_toolset_reference")],
    ],
    Discriminator(_tag_type),
]


class BetaRequestToolRemovalBlockParam(TypedDict, total=False):
    # from beta.beta_request_tool_removal_block_param.BetaRequestToolRemovalBlockParam
    # from beta.beta_response_tool_removal_block.BetaResponseToolRemovalBlock
    __pydantic_config__ = _FORBID

    tool: Required[BetaRequestToolRemovalBlockParamTool]
    type: Required[Literal["tool_removal"]]
    cache_control: BetaCacheControlEphemeralParam | None


BetaCompactionBlockParamToolChangesItem = Annotated[
    Union[
        Annotated[BetaRequestToolAdditionBlockParam, Tag("tool_addition")],
        Annotated[BetaRequestToolRemovalBlockParam, Tag("tool_removal")],
    ],
    Discriminator(_tag_type),
]


class BetaCompactionBlockParam(TypedDict, total=False):
    # from beta.beta_compaction_block_param.BetaCompactionBlockParam
    # from beta.beta_compaction_block.BetaCompactionBlock
    __pydantic_config__ = _FORBID

    type: Required[Literal["compaction"]]
    cache_control: BetaCacheControlEphemeralParam | None
    content: str | None
    encrypted_content: str | None
    signature: str | None
    tool_changes: list[BetaCompactionBlockParamToolChangesItem] | None


class BetaMCPToolListingBlockParam(TypedDict, total=False):
    # from beta.beta_mcp_tool_listing_block_param.BetaMCPToolListingBlockParam
    # from beta.beta_mcp_tool_listing_block.BetaMCPToolListingBlock
    __pydantic_config__ = _FORBID

    mcp_server_name: Required[str]
    tools: Required[list[BetaMCPToolParamParam]]
    type: Required[Literal["mcp_tool_listing"]]


class BetaFallbackInfoParam(TypedDict, total=False):
    # from beta.beta_fallback_info_param.BetaFallbackInfoParam
    # from beta.beta_fallback_info.BetaFallbackInfo
    __pydantic_config__ = _FORBID

    model: Required[str]


_BetaFallbackBlockParamKeywords = TypedDict(
    "_BetaFallbackBlockParamKeywords", {"from": Required[BetaFallbackInfoParam]}, total=False
)


class BetaFallbackBlockParam(_BetaFallbackBlockParamKeywords, total=False):
    # from beta.beta_fallback_block_param.BetaFallbackBlockParam
    # from beta.beta_fallback_block.BetaFallbackBlock
    __pydantic_config__ = _FORBID

    to: Required[BetaFallbackInfoParam]
    type: Required[Literal["fallback"]]
    trigger: object


BetaContentBlockParam = Annotated[
    Union[
        Annotated[BetaTextBlockParam, Tag("text")],
        Annotated[BetaImageBlockParam, Tag("image")],
        Annotated[BetaRequestDocumentBlockParam, Tag("document")],
        Annotated[BetaSearchResultBlockParam, Tag("search_result")],
        Annotated[BetaThinkingBlockParam, Tag("thinking")],
        Annotated[BetaRedactedThinkingBlockParam, Tag("redacted_thinking")],
        Annotated[BetaToolUseBlockParam, Tag("tool_use")],
        Annotated[BetaToolResultBlockParam, Tag("tool_result")],
        Annotated[BetaServerToolUseBlockParam, Tag("server_tool_use")],
        Annotated[BetaWebSearchToolResultBlockParam, Tag("web_search_tool_result")],
        Annotated[BetaWebFetchToolResultBlockParam, Tag("web_fetch_tool_result")],
        Annotated[BetaAdvisorToolResultBlockParam, Tag("advisor_tool_result")],
        Annotated[BetaCodeExecutionToolResultBlockParam, Tag("code_execution_tool_result")],
        Annotated[
            BetaBashCodeExecutionToolResultBlockParam, Tag("bash_code_execution_tool_result")
        ],
        Annotated[
            BetaTextEditorCodeExecutionToolResultBlockParam,
            Tag("text_editor_code_execution_tool_result"),
        ],
        Annotated[BetaToolSearchToolResultBlockParam, Tag("tool_search_tool_result")],
        Annotated[BetaMCPToolUseBlockParam, Tag("mcp_tool_use")],
        Annotated[BetaRequestMCPToolResultBlockParam, Tag("mcp_tool_result")],
        Annotated[BetaContainerUploadBlockParam, Tag("container_upload")],
        Annotated[BetaCompactionBlockParam, Tag("compaction")],
        Annotated[BetaRequestToolAdditionBlockParam, Tag("tool_addition")],
        Annotated[BetaRequestToolRemovalBlockParam, Tag("tool_removal")],
        Annotated[BetaMCPToolListingBlockParam, Tag("mcp_tool_listing")],
        Annotated[BetaFallbackBlockParam, Tag("fallback")],
    ],
    Discriminator(_tag_type),
]

BetaMessageContentParam = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[BetaContentBlockParam], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class BetaUserMessageParam(TypedDict, total=False):
    # from beta.beta_user_message_param.BetaUserMessageParam
    __pydantic_config__ = _FORBID

    content: Required[BetaMessageContentParam]
    role: Required[Literal["user"]]


class BetaAssistantMessageParam(TypedDict, total=False):
    # from beta.beta_assistant_message_param.BetaAssistantMessageParam
    __pydantic_config__ = _FORBID

    content: Required[BetaMessageContentParam]
    role: Required[Literal["assistant"]]


BetaSystemMessageParamContentItem = Annotated[
    Union[
        Annotated[BetaTextBlockParam, Tag("text")],
        Annotated[BetaRequestToolAdditionBlockParam, Tag("tool_addition")],
        Annotated[BetaRequestToolRemovalBlockParam, Tag("tool_removal")],
    ],
    Discriminator(_tag_type),
]

StrOrBetaSystemMessageParamContentItemList = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[list[BetaSystemMessageParamContentItem], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid list",
    ),
]


class BetaSystemMessageOutputConfigParam(TypedDict, total=False):
    # from beta.beta_system_message_output_config_param.BetaSystemMessageOutputConfigParam
    __pydantic_config__ = _FORBID

    effort: Literal["low", "medium", "high", "xhigh", "max"] | None


class BetaSystemMessageParam(TypedDict, total=False):
    # from beta.beta_system_message_param.BetaSystemMessageParam
    __pydantic_config__ = _FORBID

    role: Required[Literal["system"]]
    clear_at: Literal["next_user_message", "never"] | None
    content: StrOrBetaSystemMessageParamContentItemList
    output_config: BetaSystemMessageOutputConfigParam | None


BetaMessageParam = Annotated[
    Union[
        Annotated[BetaUserMessageParam, Tag("~user")],
        Annotated[BetaAssistantMessageParam, Tag("~assistant")],
        Annotated[BetaSystemMessageParam, Tag("~system")],
    ],
    Discriminator(_tag_role),
]


class BetaBillingPolicyParam(TypedDict, total=False):
    # from beta.beta_billing_policy_param.BetaBillingPolicyParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["billing_policy"]]
    bill_to: Literal["self", "user_profile"]


class BetaCompactionConfigParam(TypedDict, total=False):
    # from beta.beta_compaction_config_param.BetaCompactionConfigParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["summarize"]]
    instructions: str | None


class BetaSkillParams(TypedDict, total=False):
    # from beta.beta_skill_params.BetaSkillParams
    __pydantic_config__ = _FORBID

    skill_id: Required[str]
    type: Required[Literal["anthropic", "custom"]]
    version: str


class BetaContainerParams(TypedDict, total=False):
    # from beta.beta_container_params.BetaContainerParams
    __pydantic_config__ = _FORBID

    id: str | None
    skills: list[BetaSkillParams] | None


BetaContainerParamsOrStr = Annotated[
    Union[
        Annotated[BetaContainerParams, Tag("~dict")],
        Annotated[str, Tag("~str")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid dictionary or a valid string",
    ),
]


class BetaInputTokensClearAtLeastParam(TypedDict, total=False):
    # from beta.beta_input_tokens_clear_at_least_param.BetaInputTokensClearAtLeastParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["input_tokens"]]
    value: Required[int]


BoolOrStrList = Annotated[
    Union[
        Annotated[bool, Tag("~bool")],
        Annotated[list[str], Tag("~list")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid boolean or a valid list",
    ),
]


class BetaToolUsesKeepParam(TypedDict, total=False):
    # from beta.beta_tool_uses_keep_param.BetaToolUsesKeepParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["tool_uses"]]
    value: Required[int]


class BetaInputTokensTriggerParam(TypedDict, total=False):
    # from beta.beta_input_tokens_trigger_param.BetaInputTokensTriggerParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["input_tokens"]]
    value: Required[int]


class BetaToolUsesTriggerParam(TypedDict, total=False):
    # from beta.beta_tool_uses_trigger_param.BetaToolUsesTriggerParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["tool_uses"]]
    value: Required[int]


BetaClearToolUses20250919EditParamTrigger = Annotated[
    Union[
        Annotated[BetaInputTokensTriggerParam, Tag("input_tokens")],
        Annotated[BetaToolUsesTriggerParam, Tag("tool_uses")],
    ],
    Discriminator(_tag_type),
]


class BetaClearToolUses20250919EditParam(TypedDict, total=False):
    # from beta.beta_clear_tool_uses_20250919_edit_param.BetaClearToolUses20250919EditParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["clear_tool_uses_20250919"]]
    clear_at_least: BetaInputTokensClearAtLeastParam | None
    clear_tool_inputs: BoolOrStrList | None
    exclude_tools: list[str] | None
    keep: BetaToolUsesKeepParam
    trigger: BetaClearToolUses20250919EditParamTrigger


class BetaThinkingTurnsParam(TypedDict, total=False):
    # from beta.beta_thinking_turns_param.BetaThinkingTurnsParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["thinking_turns"]]
    value: Required[int]


class BetaAllThinkingTurnsParam(TypedDict, total=False):
    # from beta.beta_all_thinking_turns_param.BetaAllThinkingTurnsParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["all"]]


BetaClearThinking20251015EditParamKeepObject = Annotated[
    Union[
        Annotated[BetaThinkingTurnsParam, Tag("thinking_turns")],
        Annotated[BetaAllThinkingTurnsParam, Tag("all")],
    ],
    Discriminator(_tag_type),
]

BetaClearThinking20251015EditParamKeepObjectOrLiteral = Annotated[
    Union[
        Annotated[BetaClearThinking20251015EditParamKeepObject, Tag("~dict")],
        Annotated[Literal["all"], Tag("~str")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid dictionary or 'all'",
    ),
]


class BetaClearThinking20251015EditParam(TypedDict, total=False):
    # from beta.beta_clear_thinking_20251015_edit_param.BetaClearThinking20251015EditParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["clear_thinking_20251015"]]
    keep: BetaClearThinking20251015EditParamKeepObjectOrLiteral


class BetaCompact20260112EditParam(TypedDict, total=False):
    # from beta.beta_compact_20260112_edit_param.BetaCompact20260112EditParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["compact_20260112"]]
    instructions: str | None
    pause_after_compaction: bool
    trigger: BetaInputTokensTriggerParam | None


BetaContextManagementConfigParamEditsItem = Annotated[
    Union[
        Annotated[BetaClearToolUses20250919EditParam, Tag("clear_tool_uses_20250919")],
        Annotated[BetaClearThinking20251015EditParam, Tag("clear_thinking_20251015")],
        Annotated[BetaCompact20260112EditParam, Tag("compact_20260112")],
    ],
    Discriminator(_tag_type),
]


class BetaContextManagementConfigParam(TypedDict, total=False):
    # from beta.beta_context_management_config_param.BetaContextManagementConfigParam
    __pydantic_config__ = _FORBID

    edits: list[BetaContextManagementConfigParamEditsItem]


class BetaDiagnosticsParam(TypedDict, total=False):
    # from beta.beta_diagnostics_param.BetaDiagnosticsParam
    __pydantic_config__ = _FORBID

    previous_message_id: str | None


class BetaFallbackCreditTokenParam(TypedDict, total=False):
    # from beta.beta_fallback_credit_token_param.BetaFallbackCreditTokenParam
    __pydantic_config__ = _FORBID

    token: Required[str]
    mode: Literal["strict", "best_effort"]


StrOrBetaFallbackCreditTokenParam = Annotated[
    Union[
        Annotated[str, Tag("~str")],
        Annotated[BetaFallbackCreditTokenParam, Tag("~dict")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid string or a valid dictionary",
    ),
]


class BetaJSONOutputFormatParam(TypedDict, total=False):
    # from beta.beta_json_output_format_param.BetaJSONOutputFormatParam
    __pydantic_config__ = _FORBID

    schema: Required[dict[str, object]]
    type: Required[Literal["json_schema"]]


class BetaTokenTaskBudgetParam(TypedDict, total=False):
    # from beta.beta_token_task_budget_param.BetaTokenTaskBudgetParam
    __pydantic_config__ = _FORBID

    total: Required[int]
    type: Required[Literal["tokens"]]
    remaining: int | None


class BetaOutputConfigParam(TypedDict, total=False):
    # from beta.beta_output_config_param.BetaOutputConfigParam
    __pydantic_config__ = _FORBID

    effort: Literal["low", "medium", "high", "xhigh", "max"] | None
    format: BetaJSONOutputFormatParam | None
    task_budget: BetaTokenTaskBudgetParam | None


class BetaThinkingBlockBindingParam(TypedDict, total=False):
    # from beta.beta_thinking_block_binding_param.BetaThinkingBlockBindingParam
    __pydantic_config__ = _FORBID

    prefix_mismatch_behavior: Literal["error", "drop_block"] | None


class BetaThinkingConfigEnabledParam(TypedDict, total=False):
    # from beta.beta_thinking_config_enabled_param.BetaThinkingConfigEnabledParam
    __pydantic_config__ = _FORBID

    budget_tokens: Required[Annotated[int, Field(ge=1024)]]
    type: Required[Literal["enabled"]]
    block_binding: BetaThinkingBlockBindingParam | None
    display: Literal["summarized", "omitted", "updates"] | None


class BetaThinkingConfigDisabledParam(TypedDict, total=False):
    # from beta.beta_thinking_config_disabled_param.BetaThinkingConfigDisabledParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["disabled"]]


class BetaThinkingConfigBetweenToolsParam(TypedDict, total=False):
    # from beta.beta_thinking_config_between_tools_param.BetaThinkingConfigBetweenToolsParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["between_tools"]]


class BetaThinkingConfigAdaptiveParam(TypedDict, total=False):
    # from beta.beta_thinking_config_adaptive_param.BetaThinkingConfigAdaptiveParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["adaptive"]]
    block_binding: BetaThinkingBlockBindingParam | None
    display: Literal["summarized", "omitted", "updates"] | None


BetaThinkingConfigParam = Annotated[
    Union[
        Annotated[BetaThinkingConfigEnabledParam, Tag("enabled")],
        Annotated[BetaThinkingConfigDisabledParam, Tag("disabled")],
        Annotated[BetaThinkingConfigBetweenToolsParam, Tag("between_tools")],
        Annotated[BetaThinkingConfigAdaptiveParam, Tag("adaptive")],
    ],
    Discriminator(_tag_type),
]


class BetaFallbackParam(TypedDict, total=False):
    # from beta.beta_fallback_param.BetaFallbackParam
    __pydantic_config__ = _FORBID

    model: Required[str]
    max_tokens: int | None
    output_config: BetaOutputConfigParam | None
    speed: Literal["standard", "fast"] | None
    thinking: BetaThinkingConfigParam | None


BetaFallbackParamListOrLiteral = Annotated[
    Union[
        Annotated[list[BetaFallbackParam], Tag("~list")],
        Annotated[Literal["default"], Tag("~str")],
    ],
    Discriminator(
        _kind,
        custom_error_type="invalid_type",
        custom_error_message="Input should be a valid list or 'default'",
    ),
]


class BetaRequestMCPServerToolConfigurationParam(TypedDict, total=False):
    # from beta.beta_request_mcp_server_tool_configuration_param.BetaRequestMCPServerToolConfigurationParam
    __pydantic_config__ = _FORBID

    allowed_tools: list[str] | None
    enabled: bool | None


class BetaRequestMCPServerURLDefinitionParam(TypedDict, total=False):
    # from beta.beta_request_mcp_server_url_definition_param.BetaRequestMCPServerURLDefinitionParam
    __pydantic_config__ = _FORBID

    name: Required[str]
    type: Required[Literal["url"]]
    url: Required[str]
    authorization_token: str | None
    tool_configuration: BetaRequestMCPServerToolConfigurationParam | None


class BetaMetadataParam(TypedDict, total=False):
    # from beta.beta_metadata_param.BetaMetadataParam
    __pydantic_config__ = _FORBID

    user_id: str | None


class BetaThreadCreateParams(TypedDict, total=False):
    # from beta.beta_thread_create_params.BetaThreadCreateParams
    __pydantic_config__ = _FORBID

    type: Required[Literal["create"]]


class BetaThreadContinueParams(TypedDict, total=False):
    # from beta.beta_thread_continue_params.BetaThreadContinueParams
    __pydantic_config__ = _FORBID

    previous_message_id: Required[str]
    type: Required[Literal["continue"]]


BetaMessageCreateParamsThread = Annotated[
    Union[
        Annotated[BetaThreadCreateParams, Tag("create")],
        Annotated[BetaThreadContinueParams, Tag("continue")],
    ],
    Discriminator(_tag_type),
]


class BetaToolChoiceAutoParam(TypedDict, total=False):
    # from beta.beta_tool_choice_auto_param.BetaToolChoiceAutoParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["auto"]]
    disable_parallel_tool_use: bool


class BetaToolChoiceAnyParam(TypedDict, total=False):
    # from beta.beta_tool_choice_any_param.BetaToolChoiceAnyParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["any"]]
    disable_parallel_tool_use: bool


class BetaToolChoiceToolParam(TypedDict, total=False):
    # from beta.beta_tool_choice_tool_param.BetaToolChoiceToolParam
    __pydantic_config__ = _FORBID

    name: Required[str]
    type: Required[Literal["tool"]]
    disable_parallel_tool_use: bool


class BetaToolChoiceNoneParam(TypedDict, total=False):
    # from beta.beta_tool_choice_none_param.BetaToolChoiceNoneParam
    __pydantic_config__ = _FORBID

    type: Required[Literal["none"]]


BetaToolChoiceParam = Annotated[
    Union[
        Annotated[BetaToolChoiceAutoParam, Tag("auto")],
        Annotated[BetaToolChoiceAnyParam, Tag("any")],
        Annotated[BetaToolChoiceToolParam, Tag("tool")],
        Annotated[BetaToolChoiceNoneParam, Tag("none")],
    ],
    Discriminator(_tag_type),
]


class BetaMessageCreateParams(TypedDict, total=False):
    # from beta.message_create_params.MessageCreateParamsBase
    __pydantic_config__ = _FORBID

    max_tokens: Required[Annotated[int, Field(ge=0)]]
    messages: Required[list[BetaMessageParam]]
    model: Required[str]
    billing_policy: BetaBillingPolicyParam | None
    cache_control: BetaCacheControlEphemeralParam | None
    compaction: BetaCompactionConfigParam | None
    container: BetaContainerParamsOrStr | None
    context_management: BetaContextManagementConfigParam | None
    diagnostics: BetaDiagnosticsParam | None
    fallback_credit_token: StrOrBetaFallbackCreditTokenParam | None
    fallbacks: BetaFallbackParamListOrLiteral | None
    inference_geo: str | None
    mcp_servers: list[BetaRequestMCPServerURLDefinitionParam]
    metadata: BetaMetadataParam
    output_config: BetaOutputConfigParam
    service_tier: Literal["auto", "standard_only"]
    speed: Literal["standard", "fast"] | None
    stop_sequences: list[str]
    system: StrOrBetaTextBlockParamList
    thinking: BetaThinkingConfigParam
    thread: BetaMessageCreateParamsThread | None
    tool_choice: BetaToolChoiceParam
    tools: list[BetaToolUnionParam]
    user_profile_id: str
    stream: bool
    temperature: Annotated[float, Field(ge=0, le=1)]
    top_p: Annotated[float, Field(ge=0, le=1)]
    top_k: Annotated[int, Field(ge=0)]


class MessageCountTokensParams(TypedDict, total=False):
    # from message_count_tokens_params.MessageCountTokensParams
    __pydantic_config__ = _FORBID

    messages: Required[list[MessageParam]]
    model: Required[str]
    cache_control: CacheControlEphemeralParam | None
    output_config: OutputConfigParam
    speed: Literal["standard", "fast"] | None
    system: StrOrTextBlockParamList
    thinking: ThinkingConfigParam
    tool_choice: ToolChoiceParam
    tools: list[ToolUnionParam]
    user_profile_id: str


class BetaMessageCountTokensParams(TypedDict, total=False):
    # from beta.message_count_tokens_params.MessageCountTokensParams
    __pydantic_config__ = _FORBID

    messages: Required[list[BetaMessageParam]]
    model: Required[str]
    billing_policy: BetaBillingPolicyParam | None
    cache_control: BetaCacheControlEphemeralParam | None
    compaction: BetaCompactionConfigParam | None
    context_management: BetaContextManagementConfigParam | None
    mcp_servers: list[BetaRequestMCPServerURLDefinitionParam]
    output_config: BetaOutputConfigParam
    speed: Literal["standard", "fast"] | None
    system: StrOrBetaTextBlockParamList
    thinking: BetaThinkingConfigParam
    tool_choice: BetaToolChoiceParam
    tools: list[BetaToolUnionParam]
    user_profile_id: str
