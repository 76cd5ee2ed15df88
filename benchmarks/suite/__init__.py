"""The benchmark suite behind run_all.py (see README.md)."""
