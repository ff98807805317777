"""Web pages of the org app: territory (tree, nodes, grids, map, pickers) and people (residents, households,
party, property, responsibility)."""
