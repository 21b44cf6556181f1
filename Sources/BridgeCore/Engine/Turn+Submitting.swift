import Foundation

/// The finished report becomes an effect for the shell.
extension Turn {
    mutating func submit() {
        let draft = session.draft
        let categoryID = draft.categoryID ?? inferredCategory(from: draft.description ?? "")
        let submission = ReportSubmission(
            phone: session.phone, deployment: deployment.id, language: language, categoryID: categoryID,
            platformCategory: deployment.fixmystreetName(of: categoryID),
            landmark: draft.landmark ?? LandmarkAnswer(id: nil, text: draft.landmarkText ?? "", latitude: nil, longitude: nil),
            description: draft.description ?? "", submittedAt: now)
        if session.language == nil { session.language = language }
        effects.append(.submitReport(submission))
        session.resetConversation()
        if isUSSD {
            emit(notices: [renderer.fill(.referencePending, language)], prompt: nil, awaiting: nil, ends: true)
        } else if !notices.isEmpty {
            emit(notices: [], prompt: nil, awaiting: nil)
        }
    }

    /// When operators drop the category step, the description still names the problem more often than not.
    func inferredCategory(from description: String) -> String {
        if case .option(let index, _) = matching.categories.match(description) { return deployment.categories[index].id }
        return deployment.category("other")?.id ?? deployment.categories.last?.id ?? "other"
    }
}
