import Foundation

/// Webhook requests signed (and checked) by the providers' official
/// Python SDKs from PyPI, so Parley's verifiers are tested against the
/// providers' own code rather than against a copy of their rules.
public enum ProviderSDKs {
    public static var available: Bool {
        (try? Shell.run("python3", ["-c", "import telnyx.lib.webhook_verification, nacl.signing, plivo.utils.signature_v3, vonage_http_client.auth"]))?
            .status == 0
    }

    /// Runs `script` with `input` as JSON on stdin and reads its JSON answer.
    static func python(_ script: String, _ input: [String: Any]) throws -> [String: Any] {
        let payload = try JSONSerialization.data(withJSONObject: input)
        let result = try Shell.run("python3", ["-c", script], input: String(decoding: payload, as: UTF8.self))
        guard result.status == 0, let answer = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else {
            throw PeerError("the provider SDK script failed: \(result.standardError)")
        }
        return answer
    }

    /// The test key pair's public half (a fixed seed: the tests configure it).
    public static let telnyxPublicKey = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="

    /// `telnyx-signature-ed25519` for `body` at `timestamp`, made with PyNaCl (the
    /// SDK's own dependency) and, when the timestamp is fresh, verified by
    /// `telnyx.lib.webhook_verification.verify_webhook_signature` before it is used.
    public static func telnyxSignature(body: String, timestamp: Int) throws -> String {
        let script = """
            import base64, json, sys, time
            import nacl.signing
            from telnyx.lib.webhook_verification import verify_webhook_signature
            data = json.load(sys.stdin)
            key = nacl.signing.SigningKey(bytes(range(32)))
            signed = key.sign(f"{data['timestamp']}|{data['body']}".encode()).signature
            signature = base64.b64encode(signed).decode()
            public = base64.b64encode(bytes(key.verify_key)).decode()
            headers = {"telnyx-signature-ed25519": signature, "telnyx-timestamp": str(data["timestamp"])}
            if abs(time.time() - data["timestamp"]) < 240:
                verify_webhook_signature(data["body"], headers, public)
            print(json.dumps({"signature": signature, "public": public}))
            """
        let answer = try python(script, ["body": body, "timestamp": timestamp])
        guard answer["public"] as? String == telnyxPublicKey, let signature = answer["signature"] as? String else {
            throw PeerError("unexpected Telnyx test key: \(answer)")
        }
        return signature
    }

    /// `X-Plivo-Signature-V3` from `plivo.utils.signature_v3`, checked with its `validate_v3_signature`.
    public static func plivoSignature(method: String = "POST", url: String, parameters: [(String, String)], nonce: String, authToken: String) throws -> String {
        let script = """
            import json, sys
            from plivo.utils.signature_v3 import construct_get_url, construct_post_url, get_signature_v3, validate_v3_signature
            data = json.load(sys.stdin)
            params = {}
            for key, value in data["params"]:
                params.setdefault(key, []).append(value)
            params = {k: (v[0] if len(v) == 1 else v) for k, v in params.items()}
            if data["method"] == "GET":
                base = construct_get_url(data["url"], dict(params)).decode()
            else:
                base = construct_post_url(data["url"], dict(params)).decode()
            signature = get_signature_v3(data["token"], base, data["nonce"]).decode()
            assert validate_v3_signature(data["method"], data["url"], data["nonce"], data["token"], signature, dict(params))
            print(json.dumps({"signature": signature}))
            """
        let answer = try python(script, ["method": method, "url": url, "params": parameters.map { [$0.0, $0.1] }, "nonce": nonce, "token": authToken])
        return try answer["signature"] as? String ?? { throw PeerError("no Plivo signature") }()
    }

    /// Vonage's `sig` from `vonage_http_client.auth.Auth.sign_params`, checked with its `check_signature`.
    public static func vonageSignature(_ parameters: [(String, String)], secret: String, method: String = "sha256") throws -> String {
        let script = """
            import json, sys
            from vonage_http_client.auth import Auth
            data = json.load(sys.stdin)
            auth = Auth(api_key="abcd1234", signature_secret=data["secret"], signature_method=data["method"])
            params = dict(data["params"])
            signature = auth.sign_params(dict(params))
            assert auth.check_signature(dict(params, sig=signature))
            print(json.dumps({"sig": signature}))
            """
        let answer = try python(script, ["params": parameters.map { [$0.0, $0.1] }, "secret": secret, "method": method])
        return try answer["sig"] as? String ?? { throw PeerError("no Vonage signature") }()
    }
}
