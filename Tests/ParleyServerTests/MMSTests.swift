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

        let messages = try harness.mailbox.conversation(Fixtures.sarah).messages
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
}
