"""Look of the web chat: system fonts only (nothing fetched from the internet) and a little CSS."""

from __future__ import annotations

CSS = """
.vb-answer strong { font-size: 1.1em; }
.vb-conf { color: var(--body-text-color-subdued); font-size: 0.9em; }
.vb-abstain strong { color: #9a3412; }
.vb-cites { font-size: 0.92em; }
.vb-quote { margin: 0.4em 0; padding: 0.3em 0.7em; border-left: 3px solid #f59e0b; }
.vb-n { font-weight: 600; margin-right: 0.3em; }
mark.term { background: #fef3c7; color: inherit; padding: 0 1px; }
mark.ans { background: #bbf7d0; color: inherit; font-weight: 600; padding: 0 1px; }
mark.quote { background: #fde68a; color: inherit; }
.vb-source { max-height: 520px; overflow: auto; overflow-wrap: anywhere; }
.vb-text { white-space: pre-wrap; font-size: 0.95em; line-height: 1.5; }
.vb-path { font-weight: 600; margin: 0.4em 0; }
.vb-meta { border-collapse: collapse; font-size: 0.9em; margin-bottom: 0.4em; }
.vb-meta th { text-align: left; padding: 1px 10px 1px 0; white-space: nowrap; vertical-align: top; }
.vb-meta td { padding: 1px 0; }
#vb-chat .message { overflow-wrap: anywhere; }
footer { display: none !important; }
/* Dataframes default to the monospace font, whose fallbacks misplace Vietnamese tone marks. */
#vb-docs *, #vb-tasks *, #vb-doc-tasks *, #vb-results * { font-family: var(--font) !important; }
.vb-related { margin: 0.8em 0 0.2em; font-weight: 600; }
"""


def theme():
    """Gradio's default theme with system fonts: its stock fonts would be extra requests."""
    import gradio as gr

    return gr.themes.Default(
        font=[gr.themes.Font("system-ui"), "Segoe UI", "Roboto", "sans-serif"],
        font_mono=[gr.themes.Font("ui-monospace"), "Consolas", "monospace"],
    )
