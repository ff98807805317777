"""URLs of the territory pages: tree, nodes, grids, grid map, pickers (included by org/urls.py)."""

from django.urls import path

from .views import territory

urlpatterns = [
    path("tree/", territory.tree, name="tree"),
    path("tree/<int:pk>/children/", territory.tree_children, name="tree_children"),
    path("nodes/<int:pk>/", territory.node_detail, name="node_detail"),
    path("nodes/<int:pk>/edit/", territory.node_edit, name="node_edit"),
    path("nodes/<int:pk>/add/", territory.node_create, name="node_create"),
    path("grids/", territory.grid_list, name="grid_list"),
    path("grids/new/", territory.grid_create, name="grid_create"),
    path("grids/map/", territory.grid_map, name="grid_map"),
    path("grids/geojson/", territory.grid_geojson, name="grid_geojson"),
    path("grids/locate/", territory.grid_locate, name="grid_locate"),
    path("grids/<int:pk>/", territory.grid_detail, name="grid_detail"),
    path("grids/<int:pk>/edit/", territory.grid_edit, name="grid_edit"),
    path("pick/nodes/", territory.pick_nodes, name="pick_nodes"),
    path("pick/users/", territory.pick_users, name="pick_users"),
]
