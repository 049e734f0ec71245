"""HTTP for the street hubs: public pages, the hub staff area, the federation's review."""
