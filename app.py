"""Devolution-spectrum explorer: entry point. Sets up the page, the shared sidebar and the navigation."""

import streamlit as st

from explorer import sidebar, state
from explorer.theme import PRESENTER_CSS

st.set_page_config(page_title="Devolution-spectrum explorer", page_icon="⚖️", layout="wide",
                   initial_sidebar_state="expanded")
state.init_session()
if state.presenter():
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)

PAGES = [
    st.Page("views/spectrum.py", title="Spectrum", icon="🧭", default=True),
    st.Page("views/funding_governance.py", title="Funding & governance", icon="🏛️"),
    st.Page("views/projections.py", title="Projections", icon="📈"),
    st.Page("views/compare.py", title="Compare", icon="⚖️"),
    st.Page("views/scenarios.py", title="Scenarios", icon="🗂️"),
    st.Page("views/evidence.py", title="Evidence", icon="📚"),
]
page = st.navigation(PAGES)
link_slot = sidebar.draw()
for warning in state.link_warnings():
    st.warning(warning, icon="⚠️")
state.clear_link_warnings()
page.run()
state.sync_url()
sidebar.finish(link_slot, page.url_path)
