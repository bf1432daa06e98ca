/// The page's only style sheet, inline: system fonts, tables that stay
/// readable in print, charts that never split across a printed page.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a202c; margin: 0 auto;
               max-width: 760px; padding: 24px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
        .period, footer { color: #4a5568; }
        figure { margin: 16px 0 28px; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-weight: 600; margin-bottom: 6px; }
        svg.chart { width: 100%; height: auto; font-family: inherit; fill: #1a202c; }
        table { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 12px; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid #e2e8f0; padding: 3px 6px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        thead th { background: #f7fafc; }
        table.grid td, table.grid th { padding: 2px 3px; font-size: 10px; }
        .verdict { font-weight: 600; }
        .summary { display: flex; flex-wrap: wrap; gap: 8px 24px; padding: 0; list-style: none; }
        .summary li b { font-size: 18px; display: block; }
        @media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } }
        """
}
