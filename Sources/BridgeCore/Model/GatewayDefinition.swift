/// A telecom gateway as configured for a deployment: what it is and where its secrets live, never the secrets.
public struct GatewayDefinition: Sendable, Equatable {
    /// The provider kinds the bridge speaks.
    public static let knownTypes = ["twilio", "africastalking", "vonage", "infobip", "kannel", "generic"]

    /// Route id: `/gateways/{id}/sms`; unique across deployments.
    public var id: String
    public var type: String
    public var deployment: String
    /// Our short code, long number or alphanumeric sender.
    public var sender: String
    /// The public URL the provider calls, used for signatures (never taken from request headers).
    public var publicBaseURL: String
    /// Messages per second the provider allows us.
    public var ratePerSecond: Double
    /// Secret name (`auth_token`) → the environment variable that holds it.
    public var secretVariables: [String: String]
    /// Non-secret settings (`api_url`, `console`, `unsigned_from_loopback`, ...), as written.
    public var options: [String: String]
    public var file: String
    public var line: Int

    public init(id: String, type: String, deployment: String, sender: String, publicBaseURL: String, ratePerSecond: Double,
                secretVariables: [String: String], options: [String: String], file: String, line: Int) {
        self.id = id
        self.type = type
        self.deployment = deployment
        self.sender = sender
        self.publicBaseURL = publicBaseURL
        self.ratePerSecond = ratePerSecond
        self.secretVariables = secretVariables
        self.options = options
        self.file = file
        self.line = line
    }

    public func option(_ name: String) -> String? { options[name] }
    public func flag(_ name: String) -> Bool { ["true", "yes", "on"].contains(options[name]?.lowercased() ?? "") }
}

/// How `serve` listens and where it keeps its data.
public struct ServerSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// SQLite file, relative to the working directory.
    public var database: String
    /// Environment variable holding the token that admin and metrics endpoints require; nil serves them to this machine only.
    public var adminTokenVariable: String?
    /// Seconds before the first retry of a failed send; doubles with each attempt.
    public var retryInitialDelay: Double
    /// Send attempts before a message is marked failed.
    public var retryMaximumAttempts: Int
    /// Messages one number may have answered per window, unless its deployment sets its own (`sender_limit`).
    public var senderLimit: SenderRateLimit = .standard
    /// Days message texts and sessions are kept; nil keeps them until `smsbridge purge` is run by hand.
    public var retentionDays: Int?
    /// Where the bridge keeps its state: one SQLite file (one instance), or a PostgreSQL shared by several instances.
    public var store: StoreKind = .sqlite
    /// Environment variable holding the `postgres://` URL (it carries the password, so it never sits in a config file).
    public var postgresURLVariable = "SMSBRIDGE_POSTGRES_URL"
    /// This instance's name among several: what it claimed is released when an instance of that name starts again.
    /// Nil means host name and port, distinct for instances on one machine and stable across restarts.
    public var instance: String?
    /// Seconds an outbox message or a submission stays claimed by an instance that stopped answering, before another
    /// instance takes it over.
    public var lease: Double = 30

    /// The engines the store can run on.
    public enum StoreKind: String, Sendable, Equatable {
        case sqlite, postgres
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, database: String = "data/smsbridge.sqlite", adminTokenVariable: String? = nil,
                retryInitialDelay: Double = 5, retryMaximumAttempts: Int = 8) {
        self.host = host
        self.port = port
        self.database = database
        self.adminTokenVariable = adminTokenVariable
        self.retryInitialDelay = retryInitialDelay
        self.retryMaximumAttempts = retryMaximumAttempts
    }
}
