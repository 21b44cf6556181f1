import Foundation

/// Who this process is among the instances sharing a store, and how long its claims last.
///
/// Workers claim an outbox message or a submission under `name` before working on it, for `lease` seconds: another
/// instance leaves it alone meanwhile, and takes it over if the lease runs out (this instance died). When a process of
/// the same name starts again it releases its old claims at once (``CoordinationStoreTransaction/releaseClaims(owner:now:)``).
public struct InstanceIdentity: Sendable, Equatable {
    public var name: String
    public var lease: TimeInterval

    public init(name: String = "local", lease: TimeInterval = 30) {
        self.name = name
        self.lease = lease
    }

    /// Host name and port unless the operator named the instance (`server.instance`).
    public static func configured(_ name: String?, lease: TimeInterval, port: Int) -> InstanceIdentity {
        InstanceIdentity(name: name ?? "\(ProcessInfo.processInfo.hostName):\(port)", lease: lease)
    }
}
