"""``make bench``: what a registration costs and how it scales."""
