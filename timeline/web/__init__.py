"""The Dash app: the only package that imports Dash."""
