/// A YAML value as Parley reads it: scalars keep whether they were plain
/// (so `~` and `null` mean nothing only when unquoted), and every value
/// remembers its line for `path:line:` problems.
indirect enum YAMLValue {
    case scalar(String, plain: Bool)
    case sequence([(value: YAMLValue, line: Int?)])
    case mapping([YAMLEntry])
}

struct YAMLEntry {
    let key: String
    let value: YAMLValue
    let line: Int?
}
