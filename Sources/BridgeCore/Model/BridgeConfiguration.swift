/// Everything the operator files describe: the deployments a bridge serves.
public struct BridgeConfiguration: Sendable {
    public var file: String
    public var deployments: [Deployment]
    public var server: ServerSettings

    public init(file: String, deployments: [Deployment], server: ServerSettings = ServerSettings()) {
        self.file = file
        self.deployments = deployments
        self.server = server
    }

    public var gateways: [GatewayDefinition] { deployments.flatMap(\.gateways) }
    public func gateway(id: String) -> GatewayDefinition? { gateways.first { $0.id == id } }

    public func deployment(id: String) -> Deployment? { deployments.first { $0.id == id } }

    /// Routes a sender by the longest matching calling code; unknown countries go to the first deployment.
    public func deployment(forPhone e164: String) -> Deployment? {
        let ranked = deployments.flatMap { deployment in deployment.countryCodes.map { (code: $0, deployment: deployment) } }
            .filter { e164.hasPrefix($0.code) }
            .sorted { $0.code.count > $1.code.count }
        return ranked.first?.deployment ?? deployments.first
    }
}
