"""SQLite database backend of the embedded tier (``ENGINE = "danvan.core.sqlite"``)."""
