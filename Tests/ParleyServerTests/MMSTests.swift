import Foundation
import ParleyCore
import ParleyGateways
import ParleyServer
import ParleyTestSupport
import Testing

/// Inbound MMS on Twilio's shapes: the media a signed webhook announces
/// are fetched (Basic auth to Twilio, none to the storage it redirects to),
/// bounded and allowlisted, stored content-addressed beside the
/// conversation, listed in the message, shown by `thread`, opened by
/// `parley media`, and checked by `parley check`.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasTwilioPackage), "needs PyPI twilio; .ci/run installs it"))
struct MMSTests {
    static let photo = Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

    @Test func mediaAreFetchedStoredListedAndOpened() async throws {
        let fake = TwilioFake()
        try await fake.start()
        defer { fake.stop() }
        fake.serve(Self.photo, type: "image/jpeg", as: "ME1")
        fake.serve(Data("MZ\u{90}".utf8), type: "application/x-msdownload", as: "ME2")
        fake.serve(Data(count: MediaPolicy.maximumBytes + 10), type: "image/png", as: "ME3")
        let harness = try ServerHarness()
        try await harness.start { $0.webhooks = [TwilioWebhooks(authToken: fake.authToken, publicBaseURL: ServerHarness.publicBase)] }
        defer { harness.stop() }
        func post(_ sid: String, body: String, media: [(String, String)]) async throws -> Int {
            var form = [("MessageSid", sid), ("AccountSid", fake.accountSID), ("From", "+13125550147"), ("To", "+13125550100"), ("Body", body),
                        ("NumMedia", String(media.count))]
            for (index, (url, type)) in media.enumerated() { form += [("MediaUrl\(index)", url), ("MediaContentType\(index)", type)] }
            let url = ServerHarness.publicBase + "/twilio/inbound"
            let signature = try Peers.twilioSignature(url: url, parameters: form, authToken: fake.authToken)
            return try await harness.post("/twilio/inbound", body: FormEncoding.encode(form),
                                          headers: ["X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"]).0
        }
        let announced = [(fake.mediaURL("ME1"), "image/jpeg"), (fake.mediaURL("ME2"), "application/x-msdownload"), (fake.mediaURL("ME3"), "image/png")]
        #expect(try await post("MM1", body: "Is this swelling normal?", media: announced) == 200)
        let fetches = fake.mediaFetches
        let commits = try harness.commitCount()
        #expect(try await post("MM1", body: "Is this swelling normal?", media: announced) == 200)   // a retry fetches nothing
        #expect(fake.mediaFetches == fetches)
        #expect(try harness.commitCount() == commits)
        #expect(!fake.storageSawCredentials, "Twilio's credentials must not follow the redirect")
        #expect(try await post("MM2", body: "", media: [(fake.mediaURL("ME1"), "image/jpeg")]) == 200)   // the same photo again

        let messages = try harness.mailbox.conversations.conversation(Fixtures.sarah).messages
        let first = try #require(messages.first)
        #expect(first.media.count == 3)
        let hash = MessageMedia.hash(Self.photo)
        #expect(first.media[0] == MessageMedia(name: "media-1.jpg", contentType: "image/jpeg", size: Self.photo.count, sha256: hash))
        #expect(first.media[1].sha256 == nil && first.media[1].skipped == "application/x-msdownload is not a type Parley keeps")
        #expect(first.media[2].sha256 == nil && first.media[2].skipped == "over 5 MB")
        let path = try #require(first.media[0].path(for: Fixtures.sarah))
        #expect(path == "conversations/47/+13125550147/media/\(hash).jpg")
        #expect(try harness.store.snapshot().read(path) == Self.photo)
        #expect(try harness.store.snapshot().list(MailboxLayout.mediaDirectory(Fixtures.sarah))?.count == 1, "content-addressed: one file")
        #expect(messages.last?.media.first?.sha256 == hash)

        let repo = harness.directory.path
        let thread = try ParleyBinary.run(["thread", "+13125550147"], in: repo)
        #expect(thread.standardOutput.contains("📎 media-1.jpg (image/jpeg, 150 KB)"), "\(thread.standardOutput)")
        #expect(thread.standardOutput.contains("not stored: over 5 MB"))
        let list = try ParleyBinary.run(["media", "list", "+13125550147"], in: repo)
        #expect(list.status == 0 && list.standardOutput.contains(String(hash.prefix(8))))
        let saved = harness.directory.file("photo.jpg")
        let open = try ParleyBinary.run(["media", "open", "+13125550147", String(hash.prefix(8)), "--save", saved], in: repo)
        #expect(open.status == 0, "\(open.standardError)")
        #expect(FileManager.default.contents(atPath: saved) == Self.photo)
        let opened = try ParleyBinary.run(["media", "open", "+13125550147", "media-1.jpg"], in: repo, environment: ["PARLEY_OPENER": "true"])
        #expect(opened.status == 0 && opened.standardOutput.contains("opened media-1.jpg with true"))
        #expect(try ParleyBinary.run(["media", "open", "+13125550147", "media-3.png"], in: repo).standardError.contains("was not stored: over 5 MB"))
        #expect(try ParleyBinary.run(["check"], in: repo).status == 0)
    }

    @Test func outboundMediaAreCommittedFirstThenFetchedByTheProviderThroughASignedLink() async throws {
        let fake = TwilioFake()
        try await fake.start()
        defer { fake.stop() }
        let port = Peers.freePort()
        let base = "http://127.0.0.1:\(port)"
        let links = try #require(MediaLinks(publicBaseURL: base, secret: "media-link-secret", clock: .system))
        let harness = try ServerHarness()
        try await harness.start(port: port) { $0.mediaLinks = links }
        defer { harness.stop() }
        try harness.mailbox.consent.grant(Fixtures.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let gateway = TwilioGateway(accountSID: fake.accountSID, authToken: fake.authToken, apiBaseURL: fake.baseURL, publicBaseURL: base,
                                    mediaLinks: links)
        var outgoing = OutgoingMessage(body: "Hi Sarah, your X-ray as promised. Reply STOP to opt out. - Bright Smile Dental")
        outgoing.media = [OutgoingMedia(name: "xray.jpg", contentType: "image/jpeg", data: Self.photo)]
        let sent = try await harness.mailbox.sending.send(to: Fixtures.sarah, outgoing, via: gateway)

        let created = try #require(fake.created.first)
        #expect(created.mediaURLs.count == 1 && created.mediaURLs[0].hasPrefix(base + "/media/\(MessageMedia.hash(Self.photo)).jpg?to=%2B13125550147"))
        #expect(created.fetchedMedia.first?.type == "image/jpeg")
        #expect(created.fetchedMedia.first?.data == Self.photo, "Twilio fetched the committed file")
        #expect(sent.message.media.map(\.name) == ["xray.jpg"])
        let stored = try #require(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.first)
        #expect(stored.media == sent.message.media)
        // The file was in the intent's commit: there before the provider was asked.
        let intent = try #require(try harness.store.history(touching: [], limit: 2).last)
        #expect(intent.trailer(.action) == "outbox-sending")
        #expect(try Shell.git(["show", "--name-only", "--format=", intent.id], in: harness.directory.path).standardOutput
            .contains("media/\(MessageMedia.hash(Self.photo)).jpg"))

        let url = created.mediaURLs[0]
        let path = String(url.dropFirst(base.count))
        #expect(try await harness.get(path).0 == 200)
        #expect(try await harness.get(path.replacingOccurrences(of: "sig=", with: "sig=0")).0 == 403)
        #expect(try await harness.get(path.replacingOccurrences(of: "%2B13125550147", with: "%2B13125550123")).0 == 403)
        let eightDaysAgo = try #require(MediaLinks(publicBaseURL: base, secret: "media-link-secret", clock: ParleyClock(fixed: Date().addingTimeInterval(-8 * 86_400))))
        let expired = try #require(eightDaysAgo.url(for: stored.media[0], to: Fixtures.sarah))
        #expect(try await harness.get(String(expired.dropFirst(base.count))).0 == 403)
        #expect(try await harness.get("/media/..%2Fcontact.md?to=%2B13125550147").0 == 403)

        // A gateway that cannot send media refuses before anything is written.
        let before = try harness.commitCount()
        let textOnly = TwilioGateway(accountSID: fake.accountSID, authToken: fake.authToken, apiBaseURL: fake.baseURL, publicBaseURL: base)
        await #expect(throws: ParleyError.self) { try await harness.mailbox.sending.send(to: Fixtures.sarah, outgoing, via: textOnly) }
        #expect(try harness.commitCount() == before)
        #expect(fake.created.count == 1)
    }
}
