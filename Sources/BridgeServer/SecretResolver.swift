import BridgeCore

/// Reads the secrets a config file names by environment variable; an unset variable is reported at the
/// definition's line, named with `owner` ("gateway 'x'", "platform of 'y'"), and never logged with its value.
enum SecretResolver {
    static func resolve(_ variables: [String: String], environment: [String: String], owner: String, file: String, line: Int,
                        into diagnostics: inout Diagnostics) -> [String: String] {
        var secrets: [String: String] = [:]
        for (name, variable) in variables.sorted(by: { $0.key < $1.key }) {
            if let value = environment[variable], !value.isEmpty {
                secrets[name] = value
            } else {
                diagnostics.report(file, line, "\(owner): environment variable \(variable) (its \(name)) is not set")
            }
        }
        return secrets
    }
}
