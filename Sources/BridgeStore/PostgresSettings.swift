import Foundation

/// Where the PostgreSQL store connects, read from a `postgres://` URL (kept in an environment variable, never in a
/// committed file: it carries the password).
///
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require][&schema=NAME][&pool=N]`. The
/// schema lets several deployments (or test runs) share one database; it is created if missing.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` meanings: `prefer` and `require` encrypt without checking the certificate, `verify-ca` checks it
    /// against the trusted roots, `verify-full` also checks the host name.
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String?
    /// Connections this instance keeps at most (and threads running transaction bodies).
    public var poolSize: Int

    public init(url: String) throws(PostgresStoreError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else { throw .badURL("it must look like postgres://user:password@host:5432/database") }
        guard let host = components.host, !host.isEmpty else { throw .badURL("it names no host") }
        guard let user = components.user, !user.isEmpty else { throw .badURL("it names no user (postgres://USER@host/database)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw .badURL("it names no database (postgres://user@host/DATABASE)") }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = .prefer
        self.schema = nil
        self.poolSize = 10
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require": tls = .require
                case "verify-ca": tls = .verifyCA
                case "verify-full": tls = .verifyFull
                default: throw .badURL("sslmode '\(value)' is not one of disable, prefer, require, verify-ca, verify-full")
                }
            case "schema":
                guard value.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                    throw .badURL("schema '\(value)' must be lower-case letters, digits and _ (at most 63), not starting with a digit")
                }
                schema = value
            case "pool":
                guard let size = Int(value), (1...200).contains(size) else { throw .badURL("pool must be a number from 1 to 200") }
                poolSize = size
            default:
                throw .badURL("unknown parameter '\(item.name)' (known: sslmode, schema, pool)")
            }
        }
    }

    /// The URL without its password, for logs and errors.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" + (schema.map { " (schema \($0))" } ?? "")
    }
}

/// Why the PostgreSQL store could not start or run, in words an operator can act on.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    case badURL(String)
    case unreachable(String, String)
    case migrationFailed(String, String)
    case notEmpty(String)

    public var description: String {
        switch self {
        case .badURL(let why): "the PostgreSQL URL is not usable: \(why)"
        case .unreachable(let target, let error): "cannot reach PostgreSQL at \(target): \(error)"
        case .migrationFailed(let migration, let error): "PostgreSQL migration '\(migration)' failed: \(error)"
        case .notEmpty(let what): "the destination store is not empty (\(what)); copy into a new database or schema"
        }
    }
}
