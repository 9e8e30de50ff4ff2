"""Every MkDocs and Material internal that engine/, hooks/ and scripts/ rely on, in one list.

MkDocs 1.6.1, ProperDocs 1.6.7 and Material 9.8.1 are pinned (requirements.txt). What hooks
normally use (the events of `mkdocs.plugins`, `MkDocsConfig`, `Files`, `File`, `Page`,
`Navigation`, `mkdocs.exceptions`, `get_plugin_logger`, Material's documented settings) is their
documented interface and is not listed. Listed here is what is not: private (underscore)
names; the steps inside MkDocs' `build` command that the incremental preview runs itself
(engine/preview.py, engine/replay.py); what the preview server changes in MkDocs' live-reload
server by subclassing it (engine/serve.py); the command line that publishing runs in-process
(engine/build.py, for scripts/publish.py); logger and handler names; and the Material
templates, blocks and search-plugin parts that overrides/ and the hooks depend on.

tests/test_engine_internals.py checks that each one still exists in the installed MkDocs and
ProperDocs (`mkdocs.` read as `properdocs.`) and Material, and fails with a plain sentence
naming it, who uses it and what for if a pinned upgrade removed it; it also scans engine/,
hooks/ and scripts/ so that no private MkDocs or Material name is used without being listed
here. docs/engines.md says what to do when one goes.
"""

from __future__ import annotations

from dataclasses import dataclass

# What kind of thing an internal is, which says how the test looks for it.
NAME = "name"            # importable: a module, or a name reached from one by attributes
ATTRIBUTE = "attribute"  # module.Class.attr: set on instances by the class's own code
LOGGER = "logger"        # a logger the engine creates (its messages, its handlers)
HANDLER = "handler"      # the name the engine gives its terminal log handler
TEMPLATE = "template"    # a Material template, relative to material/templates/
BLOCK = "block"          # a block of Material's base.html
OUTPUT = "output"        # a file a Material plugin writes into the site


@dataclass(frozen=True)
class Internal:
    """One thing of MkDocs or Material the project relies on that is not its documented API."""

    name: str  # where it lives, by its full name ("mkdocs.commands.build._populate_page")
    kind: str  # NAME, ATTRIBUTE, LOGGER, HANDLER, TEMPLATE, BLOCK or OUTPUT
    used_by: str  # the modules that use it
    why: str  # what for, in a few words

    @property
    def engine(self) -> str:
        """The package that must have it: mkdocs or material."""
        if self.kind in (TEMPLATE, BLOCK, OUTPUT) or self.name.startswith("material."):
            return "material"
        return "mkdocs"


_BUILD = "mkdocs.commands.build"
_SERVER = "mkdocs.livereload.LiveReloadServer"
_PREVIEW = "engine/preview.py"
_REPLAY = "engine/replay.py"
_SERVE = "engine/serve.py"
_STAFF = "carekb/templates/staff/theme/main.html"

INTERNALS: tuple[Internal, ...] = (
    # -- The build's steps, run one by one by the incremental preview ------------------------
    Internal(f"{_BUILD}._populate_page", NAME, _PREVIEW,
             "to render the Markdown of only the pages a save touches"),
    Internal(f"{_BUILD}._build_theme_template", NAME, _PREVIEW,
             "to write the theme's own pages (404.html, sitemap.xml)"),
    Internal(f"{_BUILD}._build_extra_template", NAME, _PREVIEW,
             "to write the extra templates mkdocs.yml names"),
    Internal(f"{_BUILD}.get_context", NAME, _REPLAY,
             "to build a page's template context without MkDocs' _build_page"),
    Internal(f"{_BUILD}.utils.clean_directory", NAME, _PREVIEW,
             "to empty the preview's folder before a full build, as `mkdocs build` does"),
    Internal("mkdocs.structure.files.get_files", NAME, _PREVIEW, "to collect the site's files"),
    Internal("mkdocs.structure.files.set_exclusions", NAME, _PREVIEW,
             "to apply exclude_docs and draft_docs, as a build does"),
    Internal("mkdocs.structure.files.Files.add_files_from_theme", NAME, "engine/reuse.py",
             "to add the theme's static files on a full build"),
    Internal("mkdocs.structure.nav.get_navigation", NAME, _PREVIEW, "to build the navigation"),
    Internal("mkdocs.structure.pages.Page.validate_anchor_links", NAME, _PREVIEW,
             "to check links to anchors after every page is rendered, as a build does"),
    Internal("mkdocs.utils.CountHandler", NAME, _PREVIEW,
             "to count warnings, so a --strict preview stops as `mkdocs build --strict` does"),
    Internal("mkdocs.utils.write_file", NAME, _PREVIEW, "to write each rendered page"),
    Internal("mkdocs.config.config_options.Hooks._load_hook", NAME, _PREVIEW,
             "its cache is cleared so that an edited hook module is loaded afresh"),
    Internal("mkdocs.plugins.PluginCollection.events", ATTRIBUTE, _REPLAY,
             "to replay an unchanged page's page_context events without Material's search one"),
    Internal("mkdocs.config.defaults.MkDocsConfig._current_page", NAME, _REPLAY,
             "set while a page renders, as MkDocs' _build_page sets it"),
    Internal("mkdocs.structure.pages.Page._title_from_render", ATTRIBUTE, _REPLAY,
             "restored with a page's rendered state, so its title is as if just rendered"),
    Internal("mkdocs.structure.pages.Page.present_anchor_ids", ATTRIBUTE, _REPLAY,
             "restored with a page's rendered state, for the anchor-link check"),
    Internal("mkdocs.structure.pages.Page.links_to_anchors", ATTRIBUTE, _REPLAY,
             "restored with a page's rendered state, for the anchor-link check"),
    Internal("mkdocs.config.defaults.get_yaml_loader", NAME, "engine/reuse.py",
             "to parse mkdocs.yml once, as load_config parses it"),
    Internal("mkdocs.utils.yaml.yaml_load", NAME, "engine/reuse.py",
             "to parse mkdocs.yml once, as load_config parses it"),
    # -- MkDocs' live-reload server, subclassed by the preview server ------------------------
    Internal(_SERVER, NAME, _SERVE, "the preview server is a subclass of it"),
    Internal(f"{_SERVER}._build_loop", NAME, _SERVE,
             "overridden: rebuild only what the saves since the last build touched"),
    Internal(f"{_SERVER}._serve_request", NAME, _SERVE,
             "overridden: serve the preview's own files under /.preview/"),
    Internal(f"{_SERVER}._inject_js_into_html", NAME, _SERVE,
             "overridden: live reload and the error box as files, no inline script"),
    Internal(f"{_SERVER}._watched_paths", ATTRIBUTE, _SERVE, "watch() records what it watches"),
    Internal(f"{_SERVER}._watch_refs", ATTRIBUTE, _SERVE, "watch() keeps its watchdog handles"),
    Internal(f"{_SERVER}._rebuild_cond", ATTRIBUTE, _SERVE,
             "a save wakes the build loop through it"),
    Internal(f"{_SERVER}._want_rebuild", ATTRIBUTE, _SERVE, "a save asks for a rebuild"),
    Internal(f"{_SERVER}._shutdown", ATTRIBUTE, _SERVE, "the build loop stops on Ctrl-C"),
    Internal(f"{_SERVER}._wanted_epoch", ATTRIBUTE, _SERVE,
             "the build that open tabs should reload to"),
    Internal(f"{_SERVER}._visible_epoch", ATTRIBUTE, _SERVE, "open tabs reload when it changes"),
    Internal(f"{_SERVER}._epoch_cond", ATTRIBUTE, _SERVE, "wakes the tabs' reload requests"),
    Internal(f"{_SERVER}.shutdown_delay", ATTRIBUTE, _SERVE, "how often the build loop wakes"),
    Internal(f"{_SERVER}.observer", ATTRIBUTE, _SERVE,
             "replaced by an inotify observer instead of MkDocs' polling one"),
    Internal(f"{_SERVER}.error_handler", ATTRIBUTE, _SERVE,
             "replaced: a missing page shows the site's 404 page with the error box"),
    Internal(f"{_SERVER}.root", ATTRIBUTE, _SERVE, "the folder served, for the 404 page"),
    # -- The command line, run in-process, and the loggers --------------------------------------
    Internal("mkdocs.__main__.cli", NAME, "engine/build.py",
             "publishing runs `mkdocs build --strict` in-process, as typed"),
    Internal("MkDocsStreamHandler", HANDLER, "engine/build.py",
             "MkDocs adds this terminal handler on every run; publishing removes the extra ones"),
    Internal("mkdocs", LOGGER, f"{_PREVIEW}, {_SERVE}, engine/build.py",
             "MkDocs' top logger: its warnings are counted and shown in the error box, and the "
             "preview's own logger (mkdocs.preview) is its child so that it prints the same way"),
    Internal("mkdocs.livereload", LOGGER, _SERVE,
             "the server's request lines, kept at INFO in the preview's terminal"),
    Internal("mkdocs.config", LOGGER, "engine/reuse.py",
             "config warnings and errors are logged where load_config logs them"),
    # -- Material: what overrides/, the staff theme and the hooks rely on ----------------------
    Internal("base.html", TEMPLATE, "overrides/main.html", "extended by the site's main.html"),
    Internal("main.html", TEMPLATE, "overrides/main.html", "overridden by the site's main.html"),
    Internal("404.html", TEMPLATE, "overrides/404.html", "overridden: the site's own 404 page"),
    Internal("partials/alternate.html", TEMPLATE, "overrides/partials/alternate.html",
             "overridden: the language switch moves after the search (partials/kb-language.html)"),
    Internal("partials/search.html", TEMPLATE, "overrides/partials/search.html",
             "overridden: the search dialog's name; the language switch after it"),
    Internal("partials/javascripts/base.html", TEMPLATE, "overrides/partials/javascripts/base.html",
             "overridden: its inline script moved to a file (the CSP runs no inline script)"),
    Internal("partials/javascripts/content.html", TEMPLATE,
             "overrides/partials/javascripts/content.html",
             "overridden: its inline script moved to a file (the CSP runs no inline script)"),
    Internal("partials/javascripts/palette.html", TEMPLATE,
             "overrides/partials/javascripts/palette.html",
             "overridden: its inline script moved to a file (the CSP runs no inline script)"),
    Internal(".icons", TEMPLATE, "overrides/partials/search.html",
             "the icon set the copied search partial includes (`.icons/material/magnify.svg`)"),
    Internal("site_meta", BLOCK, "overrides/main.html, overrides/404.html",
             "the Content-Security-Policy and page descriptions"),
    Internal("extrahead", BLOCK, "overrides/main.html, overrides/self-check.html",
             "page metadata and the self-check's first-paint script"),
    Internal("styles", BLOCK, f"overrides/main.html, overrides/self-check.html, {_STAFF}",
             "the site's and the staff handbook's style sheets"),
    Internal("announce", BLOCK, f"overrides/main.html, {_STAFF}",
             "the crisis bar and the staff-only notice"),
    Internal("content", BLOCK, "overrides/main.html, overrides/404.html",
             "the review dates under each page"),
    Internal("footer", BLOCK, "overrides/main.html", "the disclaimer"),
    Internal("scripts", BLOCK, f"overrides/main.html, overrides/self-check.html, {_STAFF}",
             "the scripts Material inlined, as files; the self-check and checklist scripts"),
    Internal("material.plugins.search.plugin.SearchPlugin.search_index", ATTRIBUTE,
             _PREVIEW + ", " + _REPLAY,
             "an unchanged page's search entries are replayed from the last build"),
    Internal("material.plugins.search.plugin.SearchIndex.entries", ATTRIBUTE, _REPLAY,
             "an unchanged page's search entries are replayed from the last build"),
    Internal("search/search_index.json", OUTPUT, "hooks/search.py, hooks/language.py",
             "the search index the hooks rewrite after Material writes it"),
)


# Loggers of the project's own, named under MkDocs' top logger so that MkDocs' terminal handler
# prints them the same way (the top logger is listed above).
OWN_LOGGERS = ("mkdocs.preview",)


def named(name: str) -> Internal:
    """The listed internal called `name` (KeyError if it is not listed)."""
    for internal in INTERNALS:
        if internal.name == name:
            return internal
    raise KeyError(name)
