"""Hydra config tree of gigbench (a package so an installed wheel ships it)."""
