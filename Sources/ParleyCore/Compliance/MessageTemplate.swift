import Foundation
import Mustache

/// A reply template: Markdown front matter describing it and its variables,
/// and a Mustache body. Edited by people in any editor, reviewed in Git.
public struct MessageTemplate: Sendable, Equatable {
    public struct Variable: Sendable, Equatable, Codable {
        public let name: String
        public let description: String?
        public let defaultValue: String?
    }

    public let name: String
    public let description: String?
    public let useCase: String?
    /// Meant for the first message of a conversation (names the business and how to opt out).
    public let firstContact: Bool
    public let variables: [Variable]
    public let body: String
    /// The Git blob id of this version, recorded with every message sent from it.
    public let blobID: String?

    public static func parse(_ data: Data, name: String, blobID: String?) throws(ParleyError) -> MessageTemplate {
        let path = MailboxLayout.templatePath(name)
        let document = try FrontMatterDocument.parse(data, path: path)
        var variables: [Variable] = []
        for item in try document.fields.nestedList("variables") {
            variables.append(Variable(name: try item.string("name"), description: try item.optionalString("description"),
                                      defaultValue: try item.optionalString("default")))
        }
        let template = MessageTemplate(
            name: name, description: try document.fields.optionalString("description"), useCase: try document.fields.optionalString("use_case"),
            firstContact: try document.fields.bool("first_contact") ?? false, variables: variables, body: document.body, blobID: blobID)
        do {
            _ = try MustacheTemplate(string: Self.textPragma + template.body)
        } catch {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "the template body is not valid Mustache: \(error)"))
        }
        return template
    }

    /// A template known only by name and version (a draft or an outbox entry
    /// remembers which template it came from).
    public static func reference(name: String, blobID: String?) -> MessageTemplate {
        MessageTemplate(name: name, description: nil, useCase: nil, firstContact: false, variables: [], body: "", blobID: blobID)
    }

    /// Mustache escapes HTML by default; SMS is plain text.
    private static let textPragma = "{{%CONTENT_TYPE:TEXT}}"

    /// The variables the body uses outside sections: each must have a value.
    public var requiredVariables: [String] {
        var names: [String] = []
        var depth = 0
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else { break }
            var tag = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = afterOpen[close.upperBound...]
            if rest.hasPrefix("}") { rest = rest.dropFirst() }
            switch tag.first {
            case "#", "^": depth += 1
            case "/": depth = max(0, depth - 1)
            case "!", ">", "%", "=": break
            default:
                if tag.hasPrefix("{") || tag.hasPrefix("&") { tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
                if depth == 0, !tag.isEmpty, !names.contains(tag) { names.append(tag) }
            }
        }
        return names
    }

    /// Fills the template. `values` come from the contact, the agent, the
    /// business and `--set`; declared defaults fill what is left; anything
    /// still missing is an error that names every missing variable.
    public func render(_ values: [String: String]) throws(ParleyError) -> String {
        var context: [String: String] = [:]
        for variable in variables { if let value = variable.defaultValue { context[variable.name] = value } }
        for (key, value) in values where !value.isEmpty { context[key] = value }
        let missing = requiredVariables.filter { context[$0] == nil }
        guard missing.isEmpty else {
            let hints = missing.map { name in
                let described = variables.first { $0.name == name }?.description.map { " (\($0))" } ?? ""
                return "\(name)\(described)"
            }
            throw .invalidInput("template '\(name)' needs \(hints.joined(separator: ", ")): pass " + missing.map { "--set "
                + "\($0)=…" }.joined(separator: " "))
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: Self.textPragma + body)
        } catch {
            throw .malformed(FormatIssue(path: MailboxLayout.templatePath(name), line: nil, problem: "not valid Mustache: \(error)"))
        }
        var text = template.render(context)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Template names are file names: letters, digits, `-` and `_`.
    public static func isValidName(_ name: String) -> Bool {
        MessageID.isValid(name)
    }
}
