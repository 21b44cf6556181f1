import Foundation
import Yams

/// A parsed YAML file whose values remember their line, so every complaint can point at it.
struct YAMLFile {
    let path: String
    let root: YAMLValue?

    /// Reads and parses `path`; a missing file or a syntax error becomes a diagnostic, not a crash.
    static func load(_ path: String, into diagnostics: inout Diagnostics, referencedFrom: (file: String, line: Int)? = nil) -> YAMLFile {
        let display = displayPath(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            if let from = referencedFrom {
                diagnostics.report(from.file, from.line, "cannot read '\(display)': no such file (paths are relative to the file that names them)")
            } else {
                diagnostics.report(display, 1, "cannot read this file: no such file")
            }
            return YAMLFile(path: display, root: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.report(display, lineOfFirstInvalidUTF8(data), "not valid UTF-8 (another encoding, such as Latin-1?): save the file as UTF-8")
            return YAMLFile(path: display, root: nil)
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                diagnostics.report(display, 1, "the file is empty")
                return YAMLFile(path: display, root: nil)
            }
            return YAMLFile(path: display, root: YAMLValue(node: node, file: display))
        } catch let error as YamlError {
            let (line, message) = Self.describe(error)
            diagnostics.report(display, line, "YAML syntax: \(message)")
        } catch {
            diagnostics.report(display, 1, "YAML syntax: \(error)")
        }
        return YAMLFile(path: display, root: nil)
    }

    private static func describe(_ error: YamlError) -> (Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            guard let context else { return (mark.line, "\(problem) (column \(mark.column))") }
            // An unclosed bracket or quote is noticed lines later: point at where it was opened.
            // A block (indentation) context starts at the enclosing mapping, so there the problem's own line is better.
            if context.text.contains("block") || context.mark.line == mark.line {
                return (mark.line, "\(context.text) \(problem) (column \(mark.column))")
            }
            return (context.mark.line,
                    "\(context.text) started here (column \(context.mark.column)): \(problem) (noticed at line \(mark.line), column \(mark.column))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "duplicate key \(duplicates.joined(separator: ", ")): each key may appear once")
        case .reader(let problem, _, _, _):
            return (1, problem)
        default:
            return (1, "\(error)")
        }
    }

    /// The 1-based line holding the first byte that is not UTF-8, so an editor can jump to the mis-saved character.
    static func lineOfFirstInvalidUTF8(_ data: Data) -> Int {
        var line = 1
        var bytes = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while case .valid(let scalar) = parser.parseScalar(from: &bytes) {
            if scalar.count == 1 && scalar.first == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }

    /// Paths are shown relative to the working directory when they are inside it: shorter, and clickable.
    static func displayPath(_ path: String) -> String {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        if standardized.hasPrefix(cwd + "/") { return String(standardized.dropFirst(cwd.count + 1)) }
        return standardized
    }
}

/// A YAML node with its file and line, and typed accessors that report instead of throwing.
struct YAMLValue {
    let node: Node
    let file: String

    var line: Int { node.mark?.line ?? 1 }

    var string: String? {
        guard case .scalar(let scalar) = node else { return nil }
        return scalar.string
    }

    var mapping: [(key: String, keyLine: Int, value: YAMLValue)]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.map { pair in
            (pair.key.string ?? "", pair.key.mark?.line ?? line, YAMLValue(node: pair.value, file: file))
        }
    }

    var sequence: [YAMLValue]? {
        guard case .sequence(let sequence) = node else { return nil }
        return sequence.map { YAMLValue(node: $0, file: file) }
    }

    subscript(key: String) -> YAMLValue? {
        mapping?.first { $0.key == key }?.value
    }

    func keyLine(_ key: String) -> Int {
        mapping?.first { $0.key == key }?.keyLine ?? line
    }

    /// Reports keys this file format does not know: a typo such as `retires:` would otherwise be silently ignored.
    func checkKeys(_ allowed: Set<String>, in what: String, _ diagnostics: inout Diagnostics) {
        for entry in mapping ?? [] where !allowed.contains(entry.key) {
            let known = allowed.sorted().joined(separator: ", ")
            diagnostics.report(file, entry.keyLine, "unknown key '\(entry.key)' in \(what) (known keys: \(known))")
        }
    }

    func requiredString(_ key: String, in what: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let value = self[key] else {
            diagnostics.report(file, line, "\(what) needs '\(key)'")
            return nil
        }
        guard let text = value.string, !text.isEmpty else {
            diagnostics.report(file, value.line, "'\(key)' in \(what) must be a non-empty text")
            return nil
        }
        return text
    }

    func optionalString(_ key: String, in what: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let value = self[key] else { return nil }
        guard let text = value.string else {
            diagnostics.report(file, value.line, "'\(key)' in \(what) must be a text")
            return nil
        }
        return text
    }

    func optionalInt(_ key: String, in what: String, range: ClosedRange<Int>, _ diagnostics: inout Diagnostics) -> Int? {
        guard let value = self[key] else { return nil }
        guard let text = value.string, let number = Int(text), range.contains(number) else {
            diagnostics.report(file, value.line, "'\(key)' in \(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    func optionalBool(_ key: String, in what: String, _ diagnostics: inout Diagnostics) -> Bool? {
        guard let value = self[key] else { return nil }
        switch value.string?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            diagnostics.report(file, value.line, "'\(key)' in \(what) must be true or false")
            return nil
        }
    }

    /// A list of texts; a single text is accepted as a list of one, as operators often write it that way.
    func stringList(in what: String, _ diagnostics: inout Diagnostics) -> [String] {
        if let single = string { return [single] }
        guard let items = sequence else {
            diagnostics.report(file, line, "\(what) must be a list of texts")
            return []
        }
        return items.compactMap { item in
            guard let text = item.string else {
                diagnostics.report(file, item.line, "\(what) must contain only texts")
                return nil
            }
            return text
        }
    }

    func double(in what: String, _ diagnostics: inout Diagnostics) -> Double? {
        guard let text = string, let number = Double(text), number.isFinite else {
            diagnostics.report(file, line, "\(what) must be a number in decimal degrees")
            return nil
        }
        return number
    }
}
