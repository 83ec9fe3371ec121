"""Showing outside text as text where Streamlit renders Markdown (pure).

Streamlit renders Markdown in st.markdown, captions, alerts, titles, headers, metric labels,
tabs, expanders and widget labels: links, images, emphasis, ``:colour[...]`` and
``:material/...:`` directives, ``$`` maths, bare web addresses. A site name, a permit holder,
a cooperative, a URL parameter echoed in a message come from outside (an imported file, the
database, a link) and must show as the characters they are. ``escape`` is the one way such a
value meets Markdown.
"""

from __future__ import annotations

import re
import string

# CommonMark lets every ASCII punctuation character be escaped with a backslash, and then
# shows it as itself: escaping them all leaves nothing for any Markdown extension to read.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def escape(value: object) -> str:
    """``value`` as Markdown that shows exactly its characters, on one line."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return _PUNCTUATION.sub(r"\\\1", text)
