import Foundation

/// The default tone guide and templates that `parley init` installs,
/// embedded from the repository's `templates/` folder
/// (`scripts/embed-templates.py`).
public enum DefaultSkeleton {
    /// Mailbox path → content: `tone.md` and `content-words.yaml` at the root, the templates under `templates/`,
    /// the example automations (off) and the answer words under `automations/`.
    public static var mailboxFiles: [String: Data] {
        mailboxFiles(from: files.mapValues { Data($0.utf8) })
    }

    /// Maps the files of a `templates/`-style folder to mailbox paths.
    public static func mailboxFiles(from folder: [String: Data]) -> [String: Data] {
        var mapped: [String: Data] = [:]
        for (name, data) in folder {
            if name.hasPrefix(Automation.directory + "/"), name.hasSuffix(".yaml") {
                mapped[name] = data
            } else if name.hasSuffix(".md") || name == ContentWords.path {
                mapped[[MailboxLayout.toneGuide, ContentWords.path].contains(name) ? name : MailboxLayout.templatesDirectory + "/" + name] = data
            }
        }
        return mapped
    }
}
