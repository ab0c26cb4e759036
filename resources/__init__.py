"""The app's data files, installed as the package `explorer.resources` (see explorer/resource_files.py)."""
