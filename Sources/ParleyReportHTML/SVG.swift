import Foundation
import Plot

/// SVG elements as Plot nodes: Plot knows HTML's elements, and SVG inside
/// HTML is just more elements and attributes, escaped the same way.
enum SVG {
    typealias Content = Node<HTML.BodyContext>

    static func element(_ name: String, _ attributes: [(String, String)], _ children: [Content] = []) -> Content {
        .element(named: name, nodes: attributes.map { Content.attribute(named: $0.0, value: $0.1) } + children)
    }

    /// A chart's drawing: scales with the page, described for screen readers.
    static func canvas(width: Double, height: Double, label: String, _ children: [Content]) -> Content {
        element("svg", [("viewBox", "0 0 \(number(width)) \(number(height))"), ("role", "img"), ("aria-label", label),
                        ("xmlns", "http://www.w3.org/2000/svg"), ("class", "chart")], children)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil, opacity: Double? = nil) -> Content {
        var attributes = [("x", number(x)), ("y", number(y)), ("width", number(max(0, width))), ("height", number(max(0, height))), ("fill", fill)]
        if let opacity { attributes.append(("fill-opacity", number(opacity))) }
        return element("rect", attributes, title.map { [element("title", [], [.text($0)])] } ?? [])
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#444", dashed: Bool = false,
        width: Double = 1) -> Content {
        var attributes = [("x1", number(x1)), ("y1", number(y1)), ("x2", number(x2)), ("y2", number(y2)), ("stroke", stroke),
                          ("stroke-width", number(width))]
        if dashed { attributes.append(("stroke-dasharray", "4 3")) }
        return element("line", attributes)
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Double = 11, rotate: Bool = false,
                     weight: String? = nil) -> Content {
        var attributes = [("x", number(x)), ("y", number(y)), ("text-anchor", anchor), ("font-size", number(size))]
        if rotate { attributes.append(("transform", "rotate(-90 \(number(x)) \(number(y)))")) }
        if let weight { attributes.append(("font-weight", weight)) }
        return element("text", attributes, [.text(content)])
    }

    static func circle(x: Double, y: Double, radius: Double, fill: String) -> Content {
        element("circle", [("cx", number(x)), ("cy", number(y)), ("r", number(radius)), ("fill", fill)])
    }

    /// Coordinates with at most one decimal: smaller files, same picture.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
