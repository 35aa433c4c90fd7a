"""Devolution-spectrum explorer: entry point. Sets up the page, the shared sidebar and the navigation."""

import streamlit as st

from explorer import sidebar, state, textguard
from explorer.safe_text import md
from explorer.theme import BASE_CSS, PRESENTER_CSS

st.set_page_config(page_title="Devolution-spectrum explorer", layout="wide",
                   initial_sidebar_state="expanded")
state.init_session()
st.markdown(PRESENTER_CSS if state.presenter() else BASE_CSS, unsafe_allow_html=True)
textguard.install()

PAGES = [
    st.Page("pages/spectrum.py", title="Spectrum", default=True),
    st.Page("pages/funding_governance.py", title="Funding & governance"),
    st.Page("pages/projections.py", title="Projections"),
    st.Page("pages/compare.py", title="Compare"),
    st.Page("pages/scenarios.py", title="Scenarios"),
    st.Page("pages/evidence.py", title="Evidence"),
]
page = st.navigation(PAGES)
link_slot = sidebar.draw()
for warning in state.link_warnings():
    st.warning(md(warning))
state.clear_link_warnings()
page.run()
sidebar.finish(link_slot, page.url_path, state.sync_url())
