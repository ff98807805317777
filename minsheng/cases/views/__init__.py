"""Web pages of the appeals engine: the staff workbench (workbench*.py) and the residents' H5 pages (h5.py)."""
