"""Forms of the shared core. Bad input gets a clear error at the field."""
