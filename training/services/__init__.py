"""The training app's domain functions: each change in one transaction."""
