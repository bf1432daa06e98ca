import Foundation

/// The `content:` section of `parley.yaml`: what the carriers' content
/// rules allow this business—its own link domains, and the names it signs
/// its texts with.
public struct ContentPolicy: Equatable, Sendable {
    /// The business's own (branded) link domains; links to them, and to
    /// their subdomains, are never taken for a public shortener.
    public var brandedDomains: [String] = []
    /// Other names the business signs with besides `business.name` ("Bright Smile", "BSD").
    public var senderNames: [String] = []

    public init(brandedDomains: [String] = [], senderNames: [String] = []) {
        self.brandedDomains = brandedDomains
        self.senderNames = senderNames
    }

    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> ContentPolicy {
        guard let fields else { return ContentPolicy() }
        var policy = ContentPolicy()
        for domain in try fields.stringList("branded_domains") {
            let host = domain.lowercased()
            guard host.contains("."), host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw fields.problem("branded_domains", "'\(domain)' is not a domain name such as brightsmile.link")
            }
            policy.brandedDomains.append(host)
        }
        policy.senderNames = try fields.stringList("sender_names")
        return policy
    }
}
