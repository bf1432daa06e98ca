import Plot

/// The head every page Parley writes shares: UTF-8, a content security
/// policy that lets the page fetch and run nothing, the title and the
/// inline style.
enum PageHead {
    static func node(title: String) -> Node<HTML.DocumentContext> {
        .head(
            .meta(.charset(.utf8)),
            .meta(Attribute(name: "http-equiv", value: "Content-Security-Policy"),
                  Attribute(name: "content", value: "default-src 'none'; style-src 'unsafe-inline'")),
            .title(title),
            .style(ReportStyle.css))
    }
}
