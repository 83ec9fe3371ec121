"""Showing outside text as text where Streamlit renders Markdown (pure).

Streamlit renders Markdown in st.markdown, captions, alerts, titles, headers, metric labels,
tabs, expanders and widget labels: links, images, emphasis, ``:colour[...]`` and
``:material/...:`` directives, ``$`` maths, bare web and e-mail addresses. A site name, a
permit holder, a cooperative, a URL parameter echoed in a message come from outside (an
imported file, the database, a link) and must show as the characters they are. ``escape`` is
the one way such a value meets Markdown.
"""

from __future__ import annotations

import re
import string

# CommonMark lets every ASCII punctuation character be escaped with a backslash, and then
# shows it as itself: escaping them all leaves nothing for any Markdown syntax to read.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GitHub-flavoured Markdown turns bare addresses into links after escapes are read
# (https://..., www.example.org, name@example.org). An invisible word joiner inside the
# pattern (after "://"'s colon, after "www", after "@") leaves the text as it reads and
# gives the link finder nothing to find.
_WORD_JOINER = "\u2060"
_BARE_ADDRESS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def escape(value: object) -> str:
    """``value`` as Markdown that shows exactly its characters, on one line."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _BARE_ADDRESS.sub(_WORD_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)
