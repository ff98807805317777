"""The org pages under /org/ (namespace "org"), and the registries' xlsx import and export under /org/io/
(`io_urlpatterns`, namespace "org_io", included by the project's urls.py)."""

from django.urls import path

from minsheng.core.views.spreadsheets import spreadsheet_urls

from .views import io, levels, people, people_assignments, people_party, people_property, territory

app_name = "org"

urlpatterns = [
    # territory: tree, nodes, grids, grid map, pickers
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
    # the levels above the 社区 (市, 县/区, 街道/乡镇): the system administrator's page
    path("levels/", levels.levels, name="levels"),
    path("levels/<slug:key>/", levels.change, name="levels_change"),
    # people: residents, households, party, property, responsibility
    path("residents/", people.resident_list, name="resident_list"),
    path("residents/new/", people.resident_create, name="resident_create"),
    path(
        "residents/household-options/",
        people.resident_household_options,
        name="resident_household_options",
    ),
    path("residents/<int:pk>/", people.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", people.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/reveal/", people.resident_reveal, name="resident_reveal"),
    path("households/", people.household_list, name="household_list"),
    path("households/new/", people.household_create, name="household_create"),
    path("households/<int:pk>/", people.household_detail, name="household_detail"),
    path("households/<int:pk>/reveal/", people.household_reveal, name="household_reveal"),
    path("party/", people_party.party_list, name="party_list"),
    path("party/<int:pk>/", people_party.party_detail, name="party_detail"),
    path("party/<int:pk>/members/new/", people_party.party_member_create, name="party_member_create"),
    path("party/members/<int:pk>/", people_party.party_member_detail, name="party_member_detail"),
    path("property/", people_property.property_list, name="property_list"),
    path("property/companies/new/", people_property.property_company_create, name="property_company_create"),
    path(
        "property/companies/<int:pk>/",
        people_property.property_company_detail,
        name="property_company_detail",
    ),
    path("property/estates/<int:pk>/", people_property.estate_property_edit, name="estate_property_edit"),
    path("assignments/", people_assignments.assignment_list, name="assignment_list"),
    path("assignments/new/", people_assignments.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/end/", people_assignments.assignment_end, name="assignment_end"),
]

io_urlpatterns = [
    path("", io.index, name="index"),
    *spreadsheet_urls("org", namespace="org_io", index="index"),
]
