/// The questions a report dialog can ask; operators order or drop them, the ids stay stable for logs and tools.
public enum StepID: String, Sendable, Codable, CaseIterable {
    case language, category, landmark, description, confirm
}

/// What the bridge does after a resident's last allowed invalid answer to a step.
public enum RetryFallback: Sendable, Equatable {
    /// Language step: carry on in the deployment's default language.
    case useDefault
    /// A choice step: take this option id (`choose other`).
    case choose(String)
    /// Landmark step: keep the resident's words unresolved.
    case keepText
    /// Send help and start the report again.
    case restart
    /// Send help and drop the report.
    case end
}

/// One question of the dialog with its patience for invalid answers.
public struct DialogStep: Sendable, Equatable {
    public var id: StepID
    public var retries: Int
    public var afterRetries: RetryFallback
    /// Free-text bounds in characters (description step).
    public var minLength: Int
    public var maxLength: Int

    public init(id: StepID, retries: Int = 2, afterRetries: RetryFallback = .restart, minLength: Int = 3, maxLength: Int = 500) {
        self.id = id
        self.retries = retries
        self.afterRetries = afterRetries
        self.minLength = minLength
        self.maxLength = maxLength
    }
}
