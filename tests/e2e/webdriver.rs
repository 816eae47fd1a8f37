//! Just enough of the W3C WebDriver protocol to drive the app through `tauri-driver`:
//! a keep-alive HTTP/1.1 client on a TcpStream (tauri-driver sometimes drops requests
//! sent with `Connection: close`), sessions, scripts, clicks, keys and screenshots.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a condition may take to hold before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);
/// Time between two checks of a condition.
const POLL: Duration = Duration::from_millis(25);

struct Http {
    port: u16,
    reader: Option<BufReader<TcpStream>>,
    /// How long to wait for an answer.
    timeout: Duration,
}

impl Http {
    fn connection(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.reader.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", self.port))?;
            stream.set_read_timeout(Some(self.timeout))?;
            self.reader = Some(BufReader::new(stream));
        }
        Ok(self.reader.as_mut().unwrap())
    }

    fn request(&mut self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
        let result = self.try_request(method, path, body);
        if result.is_err() {
            self.reader = None;
        }
        result
    }

    fn try_request(&mut self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
        let port = self.port;
        if std::env::var_os("FACTDESK_E2E_TRACE").is_some() {
            eprintln!("webdriver: {method} {path}");
        }
        let body = body.map(Value::to_string).unwrap_or_default();
        let reader = self.connection()?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let stream = reader.get_mut();
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        stream.flush()?;

        let mut status_line = String::new();
        if reader.read_line(&mut status_line)? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let (mut length, mut chunked, mut close) = (None, false, false);
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
                match name.as_str() {
                    "content-length" => length = value.parse::<usize>().ok(),
                    "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        let mut bytes = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(length) = length {
            bytes.resize(length, 0);
            reader.read_exact(&mut bytes)?;
        } else {
            reader.read_to_end(&mut bytes)?;
            close = true;
        }
        if close {
            self.reader = None;
        }
        let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
        Ok((status, value))
    }
}

/// Two distinct ports nobody listens on right now (both held until both are chosen).
fn free_ports() -> (u16, u16) {
    let first = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let second = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    (first.local_addr().unwrap().port(), second.local_addr().unwrap().port())
}

/// `tauri-driver` and the WebKitWebDriver it starts, in their own process group, which
/// is killed as a whole when dropped (WebKitWebDriver ignores SIGTERM and, left running,
/// holds the test's output open).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.wait();
    }
}

/// One app window driven through its own `tauri-driver`.
pub struct Session {
    _driver: Driver,
    http: Http,
    id: String,
}

impl Session {
    /// Starts `tauri-driver`, which starts WebKitWebDriver, which starts the app with
    /// the environment given here (the library file, the actor).
    pub fn start(app: &Path, env: &[(&str, &Path)]) -> Session {
        assert!(app.exists(), "the app is not built at {} (scripts/test builds it first)", app.display());
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the end-to-end tests need a display: run them under xvfb-run (scripts/test does)"
        );
        let (port, native_port) = free_ports();
        let mut command = Command::new("tauri-driver");
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (name, value) in env {
            command.env(name, value);
        }
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = Driver(command.spawn().expect("tauri-driver runs (scripts/test installs it)"));
        // While tauri-driver and WebKitWebDriver start, a request can go unanswered: ask
        // again on a fresh connection rather than wait on it.
        let mut http = Http { port, reader: None, timeout: Duration::from_secs(2) };
        let started = Instant::now();
        loop {
            match http.request("GET", "/status", None) {
                Ok((200, _)) => break,
                last if started.elapsed() > PATIENCE => panic!("tauri-driver did not answer on port {port}: {last:?}"),
                Ok(_) => std::thread::park_timeout(POLL),
                Err(_) => {
                    http.reader = None;
                    std::thread::park_timeout(POLL);
                }
            }
        }
        http.timeout = Duration::from_secs(60);
        if let Some(reader) = &http.reader {
            reader.get_ref().set_read_timeout(Some(http.timeout)).unwrap();
        }
        let capabilities = json!({
            "capabilities": { "alwaysMatch": { "tauri:options": { "application": app } } }
        });
        let (status, value) = http.request("POST", "/session", Some(&capabilities)).expect("new session");
        let id =
            value["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session ({status}): {value}")).to_owned();
        Session { _driver: driver, http, id }
    }

    fn call(&mut self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.id);
        let (status, value) =
            self.http.request(method, &path, body.as_ref()).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(status < 300, "{method} {path} → {status}: {value}");
        value["value"].clone()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn run(&mut self, script: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Polls `script` until it returns something truthy; fails the test after PATIENCE.
    #[track_caller]
    pub fn wait_for(&mut self, what: &str, script: &str, args: Value) -> Value {
        let started = Instant::now();
        loop {
            let value = self.run(script, args.clone());
            let truthy = !matches!(&value, Value::Null | Value::Bool(false)) && value != json!(0) && value != json!("");
            if truthy {
                return value;
            }
            if started.elapsed() > PATIENCE {
                panic!("waited {PATIENCE:?} for {what}; last value {value}");
            }
            std::thread::park_timeout(POLL);
        }
    }

    fn element(&mut self, css: &str) -> String {
        let found = self.call("POST", "/element", Some(json!({ "using": "css selector", "value": css })));
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_owned()
    }

    /// Clicks the element `css` selects, as a user would.
    pub fn click(&mut self, css: &str) {
        let element = self.element(css);
        // A user scrolls a control into view first; WebKitWebDriver does not always manage
        // it inside a scrolling pane (then reports "element not interactable").
        let reference = json!({ "element-6066-11e4-a52e-4f735466cecf": element });
        self.run("arguments[0].scrollIntoView({ block: 'center' });", json!([reference]));
        let path = format!("/session/{}/element/{element}/click", self.id);
        let (status, value) =
            self.http.request("POST", &path, Some(&json!({}))).unwrap_or_else(|e| panic!("click {css}: {e}"));
        assert!(status < 300, "click {css} → {status}: {value}");
    }

    /// Types `text` into the element `css` selects.
    pub fn type_into(&mut self, css: &str, text: &str) {
        let element = self.element(css);
        self.call("POST", &format!("/element/{element}/value"), Some(json!({ "text": text })));
    }

    /// Presses and releases each key of `keys` on the keyboard (to whatever has focus).
    pub fn press(&mut self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({ "type": "keyDown", "value": c.to_string() }),
                    json!({ "type": "keyUp", "value": c.to_string() }),
                ]
            })
            .collect();
        self.call(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
        self.call("DELETE", "/actions", None);
    }

    /// Presses `key` with Control held (`Ctrl+Z`).
    pub fn press_with_control(&mut self, key: char) {
        const CONTROL: &str = "\u{E009}";
        let actions = json!([
            { "type": "keyDown", "value": CONTROL },
            { "type": "keyDown", "value": key.to_string() },
            { "type": "keyUp", "value": key.to_string() },
            { "type": "keyUp", "value": CONTROL },
        ]);
        self.call(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
        self.call("DELETE", "/actions", None);
    }

    /// Saves a PNG of the window once the page has painted what the DOM holds.
    pub fn screenshot(&mut self, path: &Path) {
        self.wait_for(
            "two animation frames",
            "window.__framesPainted = false; requestAnimationFrame(() => requestAnimationFrame(() => { window.__framesPainted = true; })); return true;",
            json!([]),
        );
        self.wait_for("the frames to be painted", "return window.__framesPainted === true;", json!([]));
        let png = self.call("GET", "/screenshot", None);
        let bytes = decode_base64(png.as_str().expect("base64 screenshot"));
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // WebKitWebDriver closes the app on DELETE but does not always answer: don't wait long.
        self.http.timeout = Duration::from_secs(3);
        if let Some(reader) = &self.http.reader {
            let _ = reader.get_ref().set_read_timeout(Some(self.http.timeout));
        }
        let path = format!("/session/{}", self.id);
        let _ = self.http.request("DELETE", &path, None);
        // Dropping `_driver` after this stops tauri-driver and WebKitWebDriver.
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let digits: Vec<u32> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | d << (18 - 6 * i));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}
