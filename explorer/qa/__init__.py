"""Quality checks that drive the real window: a seeded UI monkey and a memory soak, run as `main.py qa`."""
