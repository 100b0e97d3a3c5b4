import gc

# No collections while the server starts (``cli.main`` says why): from before the imports,
# which make most of the objects.
gc.disable()

from .cli import main  # noqa: E402

raise SystemExit(main())
