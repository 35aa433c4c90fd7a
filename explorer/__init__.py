"""Streamlit glue shared by the views: session state and links, sidebar, widgets and charts."""
