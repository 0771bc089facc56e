"""HTML to a printable A4 PDF with WeasyPrint, fetching nothing: the print template carries its styles and its
charts inline (SVG), and the fetcher refuses every URL that is not a ``data:`` URI, so a link or an image in
the report can never make the server call another host or read a local file."""

# WeasyPrint is imported when a PDF is asked for: importing it parses its stylesheets (about a second), which
# every process start (each command, each worker) would otherwise pay.


def no_remote_fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=no_remote_fetcher()).write_pdf()
