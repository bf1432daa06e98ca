import Foundation
import Git
import ParleyCore
import ParleyGitStore
import ParleyIndex
import ParleyTestSupport
import Testing

/// `review.require_signed`: an approval counts only in a commit signed
/// with an SSH key the repository's `allowed_signers` lists for the
/// approver. Keys come from the real `ssh-keygen`; the signature is checked
/// again by the real `git verify-commit`.
@Suite(.enabled(if: Peers.shouldRun(FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")),
                "needs ssh-keygen (openssh-client); .ci/run installs it"))
struct SignedApprovalTests {
    static let text = "Hi Sarah, this is Bright Smile Dental: Saturday at 10 works. Reply STOP to opt out."
    let sam = Agent(handle: "sam", name: "Sam Patel", email: "sam@example.com")

    /// A new ed25519 key without a passphrase: its private key text and its `ssh-ed25519 AAAA…` public line.
    func key(_ name: String, in directory: TemporaryDirectory) throws -> (privateKey: String, publicLine: String) {
        let path = directory.file(name)
        try Shell.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path]).requireSuccess()
        let publicLine = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        return (try String(contentsOfFile: path, encoding: .utf8), publicLine)
    }

    @Test func aSignedApprovalCountsAndGitAgreesAnUnsignedOneIsFlagged() async throws {
        let fixture = try MailboxFixture(.workTree)
        let keys = TemporaryDirectory("keys")
        let samKey = try key("sam", in: keys), leeKey = try key("lee", in: keys)
        var config = Fixtures.config
        config.review = ReviewPolicy(always: [.firstContact], requireSigned: true)
        let dana = try Mailbox.initialize(store: fixture.store, config: config, skeleton: DefaultSkeleton.mailboxFiles,
                                          clock: Fixtures.clock(), agent: Fixtures.agent)
        _ = try fixture.store.commit { _ in
            StoreChange(files: [MailboxLayout.allowedSigners: Data("sam@example.com namespaces=\"git\" \(samKey.publicLine)\n".utf8)],
                        message: CommitMessage(subject: "Allowed signers", action: .initialize).text, author: Fixtures.agent, time: Fixtures.monday)
        }
        try fixture.grant(Fixtures.sarah)
        try fixture.grant(Fixtures.tom)
        await #expect(throws: ParleyError.self) { try await dana.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.text), via: ScriptedGateway()) }
        await #expect(throws: ParleyError.self) {
            try await dana.sending.send(to: Fixtures.tom, OutgoingMessage(body: Self.text.replacingOccurrences(of: "Sarah", with: "Tom")), via: ScriptedGateway())
        }
        let held = try dana.approvals.waiting()
        #expect(held.count == 2)

        let samMailbox = try Mailbox.open(store: fixture.store, clock: Fixtures.clock(Fixtures.monday.addingTimeInterval(600)), agent: sam, location: "t")
        // Without a key the approval is refused: it could not count.
        await #expect(throws: ParleyError.self) { try await samMailbox.approvals.approve(held[0].id, via: ScriptedGateway()) }
        let signing = try SSHSignature.SigningKey(openSSHPrivateKey: samKey.privateKey)
        guard case .sent = try await samMailbox.approvals.approve(held[0].id, via: ScriptedGateway(), signingKey: signing) else {
            Issue.record("not sent"); return
        }
        let signedCommit = try #require(try fixture.store.history(touching: [], limit: 1).first).id

        // Git itself verifies the signature with the same allowed-signers file.
        let repo = fixture.directory.path
        let verified = try Shell.run("git", ["-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(repo)/allowed_signers",
                                             "verify-commit", signedCommit], in: repo)
        #expect(verified.status == 0 && verified.standardError.contains("Good \"git\" signature for sam@example.com"), "\(verified.standardError)")

        // Lee's key is not listed for sam: an approval signed with it could not count, so it is refused before sending.
        let unlisted = try SSHSignature.SigningKey(openSSHPrivateKey: leeKey.privateKey)
        await #expect(throws: ParleyError.self) {
            try await samMailbox.approvals.approve(held[1].id, via: ScriptedGateway(), signingKey: unlisted)
        }
        // A sender that skips Parley's check writes an unsigned "approved by sam" send straight onto the records branch.
        let entry = held[1]
        var message = entry.message(from: Fixtures.business, gateway: "sandbox", gatewayID: "SBX-forged", status: .delivered)
        message.approvedBy = "sam"
        _ = try fixture.store.commit { _ in
            StoreChange(files: [MailboxLayout.messagePath(entry.to, time: message.time, id: message.id): message.fileData(), entry.path: nil],
                        message: CommitMessage(subject: "Send message", action: .send,
                                               trailers: [(.number, entry.to.e164), (.messageID, message.id), (.approvedBy, "sam")]).text,
                        author: sam, time: Fixtures.monday.addingTimeInterval(900))
        }

        let findings = try Auditor.audit(samMailbox, since: nil, until: nil).findings.filter { $0.rule == .approval }
        #expect(findings.map(\.message) == [held[1].id], "\(findings.map(\.detail))")
    }

    @Test func aForgedSignatureIsRejectedAndAGoodOneAccepted() throws {
        let keys = TemporaryDirectory("keys")
        let samKey = try key("sam", in: keys)
        let signing = try SSHSignature.SigningKey(openSSHPrivateKey: samKey.privateKey)
        let allowed = "sam@example.com \(samKey.publicLine)\n"
        let data = Data("tree 0123\nauthor sam\n\nApprove\n".utf8)
        let signature = try signing.sign(data)
        #expect(SSHSignature.verify(signature, of: data, allowedSigners: allowed, principal: "sam@example.com"))
        #expect(!SSHSignature.verify(signature, of: data + Data("x".utf8), allowedSigners: allowed, principal: "sam@example.com"))
        #expect(!SSHSignature.verify(signature, of: data, allowedSigners: allowed, principal: "lee@example.com"))
        #expect(!SSHSignature.verify("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----", of: data, allowedSigners: allowed,
                                     principal: "sam@example.com"))
        #expect(throws: ParleyError.self) { try SSHSignature.SigningKey(openSSHPrivateKey: "not a key") }
    }
}
