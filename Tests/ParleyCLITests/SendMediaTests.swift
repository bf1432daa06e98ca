import Foundation
import ParleyTestSupport
import Testing

/// `parley send --media` through the sandbox: the file is committed in the
/// conversation's media/ folder and shown in the thread; a type or size
/// carriers do not take is refused with nothing written.
@Suite(.serialized) struct SendMediaTests {
    let directory = TemporaryDirectory("send-media")

    @Test func aPictureIsSentWithTheTextAndBadFilesAreRefused() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("+13125550147", in: repo)
        let picture = directory.file("crown.png")
        let bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<2048).map { UInt8($0 % 251) })
        _ = FileManager.default.createFile(atPath: picture, contents: bytes)
        let text = "Hi Sarah, here is your new crown. Reply STOP to opt out. - Bright Smile Dental"
        let sent = try ParleyBinary.run(["send", "+13125550147", "--body", text, "--media", picture], in: repo)
        #expect(sent.status == 0, "\(sent.standardError)")
        let thread = try ParleyBinary.run(["thread", "+13125550147"], in: repo).standardOutput
        #expect(thread.contains("📎 crown.png (image/png, 2 KB)"), "\(thread)")
        let saved = directory.file("back.png")
        #expect(try ParleyBinary.run(["media", "open", "+13125550147", "crown.png", "--save", saved], in: repo).status == 0)
        #expect(FileManager.default.contents(atPath: saved) == bytes)

        let before = try Shell.git(["rev-list", "--all", "--count"], in: repo).standardOutput
        let program = directory.file("setup.exe")
        _ = FileManager.default.createFile(atPath: program, contents: Data("MZ".utf8))
        let refused = try ParleyBinary.run(["send", "+13125550147", "--body", text, "--media", program], in: repo)
        #expect(refused.status == 64 && refused.standardError.contains("cannot send a .exe file"))
        let huge = directory.file("scan.pdf")
        _ = FileManager.default.createFile(atPath: huge, contents: Data(count: 5 * 1024 * 1024 + 1))
        let tooBig = try ParleyBinary.run(["send", "+13125550147", "--body", text, "--media", huge], in: repo)
        #expect(tooBig.status == 64 && tooBig.standardError.contains("at most 5 MB"))
        #expect(try Shell.git(["rev-list", "--all", "--count"], in: repo).standardOutput == before)
        #expect(try ParleyBinary.run(["check"], in: repo).status == 0)
    }
}
