"""HTTP edge: thin routes that read bytes, call the sandbox core, and write the answer."""
