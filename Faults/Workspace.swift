import Foundation

/// A copy of the shipped Config/ and Dialogs/ in a temporary folder, with Prishtina receiving through a signed generic
/// gateway whose provider is the gateway double, and filing on the FixMyStreet double.
struct Workspace {
    static let gatewayID = "faults-generic"
    static let environment = [
        "FAULTS_GENERIC_SECRET": Resident.secret,
        "FAULTS_FMS_EMAIL": "sms-bridge@example.org",
        "FAULTS_FMS_PASSWORD": "correct horse battery staple",
    ]

    let directory: URL
    let bridgePort: Int

    init(root: URL, name: String, gatewayPort: Int, fixMyStreetPort: Int, bridgePort: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smsbridge-faults-\(name)-\(UUID().uuidString.prefix(8))")
        self.bridgePort = bridgePort
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in ["Config", "Dialogs"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
        let deployment = directory.appendingPathComponent("Config/deployments/prishtina.yaml")
        var text = try String(contentsOf: deployment, encoding: .utf8)
        guard let range = text.range(of: "\ngateways:\n") else { throw FaultsError("no gateways: section in prishtina.yaml") }
        text.replaceSubrange(range, with: """

            platform:
              type: fixmystreet
              base_url: http://127.0.0.1:\(fixMyStreetPort)
              secrets:
                email: FAULTS_FMS_EMAIL
                password: FAULTS_FMS_PASSWORD
              time_zone: Etc/GMT-2
              pending_notice_after: 3s

            gateways:
              - id: \(Self.gatewayID)
                type: generic
                sender: "1818"
                public_base_url: http://127.0.0.1:\(bridgePort)
                rate: 500
                secrets:
                  signature_secret: FAULTS_GENERIC_SECRET
                options:
                  api_url: http://127.0.0.1:\(gatewayPort)/send

            """)
        try text.write(to: deployment, atomically: true, encoding: .utf8)
        let main = directory.appendingPathComponent("Config/smsbridge.yaml")
        var server = try String(contentsOf: main, encoding: .utf8)
        server += "  retry_initial_delay: 200ms\n"
        try server.write(to: main, atomically: true, encoding: .utf8)
    }

    var databasePath: String { directory.appendingPathComponent("data/smsbridge.sqlite").path }

    /// The main configuration of one of several instances sharing a PostgreSQL store (issue 8): the same file with the
    /// store switched to PostgreSQL (its URL in `SMSBRIDGE_POSTGRES_URL`), this instance's name and the claims' lease.
    /// Written as Config/smsbridge-<instance>.yaml, beside the shared one, so the deployment paths stay the same.
    func instanceConfig(_ instance: String, lease: Int) throws -> URL {
        var text = try String(contentsOf: directory.appendingPathComponent("Config/smsbridge.yaml"), encoding: .utf8)
        text += """
              store: postgres
              postgres_url_env: SMSBRIDGE_POSTGRES_URL
              instance: \(instance)
              lease: \(lease)s

            """
        let file = directory.appendingPathComponent("Config/smsbridge-\(instance).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// While this file exists the full-disk shim fails every write to the SQLite files.
    var flag: String { directory.appendingPathComponent("disk-full").path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
