/// `n` and its noun, singular for exactly one: "1 epoch", "30 epochs", "0 images".
///
/// Every count a person reads goes through here, so that no message says "1 epochs". The plural
/// is `noun + "s"` unless given (no English noun in this project's messages needs more).
public func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
}
