"""The data layer: the SQL runner over queries/*.sql and its cache, the database file (connect,
build, upgrade), the one path every write takes and who may take it (access), the importer
(read, validate, store, transaction). No Streamlit; it imports no other layer of atlas.
"""
