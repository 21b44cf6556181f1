import BridgeStore
import Foundation
import Testing

/// Reading the `postgres://` URL an operator puts in the environment: every part, libpq's sslmode words, and errors
/// that say what to fix, never echoing the password.
@Suite struct PostgresSettingsTests {
    @Test func everyPartIsRead() throws {
        let settings = try PostgresSettings(url: "postgresql://bridge%40ks:p%C3%ABr%2Fs@db.internal:6543/sms_bridge?sslmode=verify-full&schema=prishtina&pool=4")
        #expect(settings.username == "bridge@ks")
        #expect(settings.password == "për/s")
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.database == "sms_bridge")
        #expect(settings.tls == .verifyFull)
        #expect(settings.schema == "prishtina")
        #expect(settings.poolSize == 4)
        #expect(settings.description == "postgres://bridge@ks:***@db.internal:6543/sms_bridge (schema prishtina)")
    }

    @Test func defaultsAreLibpqs() throws {
        let settings = try PostgresSettings(url: "postgres://smsbridge@127.0.0.1/smsbridge")
        #expect(settings.port == 5432)
        #expect(settings.tls == .prefer)
        #expect(settings.password == nil)
        #expect(settings.schema == nil)
        #expect(settings.poolSize == 10)
        #expect(try PostgresSettings(url: "postgres://u@h/d?sslmode=verify-ca").tls == .verifyCA)
        #expect(try PostgresSettings(url: "postgres://u@h/d?sslmode=require").tls == .require)
        #expect(try PostgresSettings(url: "postgres://u@h/d?sslmode=disable").tls == .disable)
    }

    @Test(arguments: [
        ("mysql://u:secret@h/d", "it must look like postgres://"),
        ("postgres://u:secret@/d", "it names no host"),
        ("postgres://h/d", "it names no user"),
        ("postgres://u:secret@h", "it names no database"),
        ("postgres://u:secret@h/d?sslmode=sometimes", "sslmode 'sometimes' is not one of disable, prefer, require, verify-ca, verify-full"),
        ("postgres://u:secret@h/d?schema=Bad-Name", "schema 'Bad-Name' must be lower-case letters, digits and _"),
        ("postgres://u:secret@h/d?pool=0", "pool must be a number from 1 to 200"),
        ("postgres://u:secret@h/d?application_name=x", "unknown parameter 'application_name' (known: sslmode, schema, pool)"),
    ])
    func aBadURLSaysWhatToFixWithoutThePassword(url: String, message: String) {
        do {
            _ = try PostgresSettings(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("secret"), "\(error)")
        }
    }
}
