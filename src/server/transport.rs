//! JSON-RPC over a byte stream (standard input and output), framed by `Content-Length`
//! headers, for the loop in [`super::dispatch`].
//!
//! `lsp-server`'s own stdio transport ends the reader thread on the first malformed message, and
//! sizes its buffer from the header before reading: one bad frame, or a `Content-Length` of
//! a terabyte, would end or abort the server. This one answers a frame it cannot use with a
//! JSON-RPC error (`id: null` when no id can be read, as JSON-RPC 2.0 asks), skips an
//! oversized body without holding it, finds the next header after garbage, and stops only at
//! the end of its input or after `exit`. The messages themselves are `lsp-server`'s.

use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use lsp_server::{Connection, ErrorCode, Message};
use serde_json::Value;

/// The largest message body read. A plan is capped at 4 MiB (`crate::read::PLAN`); its text
/// travels JSON-escaped, so allow some room.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// The longest header line read as one.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// The threads that move messages between the stream and the server's channels.
#[derive(Debug)]
pub struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Threads {
    /// Waits for the writer to send what the server left (the server's side of the
    /// connection must be dropped first). The reader is waited for only when it has already
    /// stopped: it may be blocked reading an input the client never closes.
    pub fn finish(self) {
        let _ = self.writer.join();
        if self.reader.is_finished() {
            let _ = self.reader.join();
        }
    }
}

/// A connection over standard input and output.
pub fn stdio() -> io::Result<(Connection, Threads)> {
    spawn(io::BufReader::new(io::stdin()), io::stdout())
}

/// A connection over any byte streams (tests drive it with pipes).
pub fn spawn<R, W>(input: R, output: W) -> io::Result<(Connection, Threads)>
where
    R: BufRead + Send + 'static,
    W: Write + Send + 'static,
{
    let (server, stream) = Connection::memory();
    // Both threads write whole frames under this lock: the writer the server's messages, the
    // reader its answers to frames it could not read.
    let sink = Arc::new(Mutex::new(output));
    let writer = {
        let sink = Arc::clone(&sink);
        let receiver = stream.receiver;
        std::thread::Builder::new()
            .name("odoo-order-lsp-writer".to_owned())
            .spawn(move || {
                for message in receiver {
                    let mut out = sink.lock().unwrap_or_else(PoisonError::into_inner);
                    if message.write(&mut *out).is_err() {
                        // The client is gone; the server learns it when its input ends.
                        break;
                    }
                }
            })?
    };
    let sender = stream.sender;
    let reader = std::thread::Builder::new()
        .name("odoo-order-lsp-reader".to_owned())
        .spawn(move || {
            let mut input = input;
            loop {
                match read_frame(&mut input) {
                    Frame::Message(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if sender.send(message).is_err() || exit {
                            break;
                        }
                    }
                    Frame::Malformed { id, code, message } => {
                        let mut out = sink.lock().unwrap_or_else(PoisonError::into_inner);
                        let _ = write_frame(&mut *out, &error_response(id, code, &message));
                    }
                    Frame::End => break,
                }
            }
        })?;
    Ok((server, Threads { reader, writer }))
}

/// What one read from the stream gave.
#[derive(Debug)]
pub enum Frame {
    /// A message for the server.
    Message(Message),
    /// A frame that is not a usable message: the error to answer it with.
    Malformed {
        /// The id to answer, if one could be read.
        id: Option<Value>,
        /// The JSON-RPC error code.
        code: i32,
        /// What was wrong.
        message: String,
    },
    /// The input ended, or could not be read any more.
    End,
}

fn malformed(id: Option<Value>, code: ErrorCode, message: String) -> Frame {
    Frame::Malformed {
        id,
        code: code as i32,
        message,
    }
}

/// Reads the next frame.
pub fn read_frame(input: &mut impl BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut bad_length: Option<String> = None;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        match input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if seen_header {
                break;
            }
            // Blank lines between frames are noise, not a frame.
            continue;
        }
        seen_header = true;
        // A header may follow the unread rest of a bad frame on the same line: start there.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            match value.parse::<usize>() {
                Ok(n) => {
                    length = Some(n);
                    bad_length = None;
                }
                Err(_) => bad_length = Some(value.to_owned()),
            }
        }
        // Other headers (`Content-Type`) change nothing.
    }
    if let Some(value) = bad_length {
        return malformed(
            None,
            ErrorCode::ParseError,
            format!("`Content-Length: {value}` is not a length in bytes"),
        );
    }
    let Some(length) = length else {
        return malformed(
            None,
            ErrorCode::ParseError,
            "a message without a `Content-Length` header".to_owned(),
        );
    };
    if length > MAX_BODY {
        // Skip it without holding it.
        let skipped = io::copy(&mut input.by_ref().take(length as u64), &mut io::sink());
        if skipped.map_or(true, |n| n < length as u64) {
            return Frame::End;
        }
        return malformed(
            None,
            ErrorCode::InvalidRequest,
            format!("a message of {length} bytes is over the {MAX_BODY}-byte limit"),
        );
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).is_err() {
        return Frame::End;
    }
    parse(&body)
}

/// A body as a message, or the error that answers it.
fn parse(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return malformed(None, ErrorCode::ParseError, format!("invalid JSON: {err}"));
        }
    };
    // An id can only be answered when it is one JSON-RPC allows.
    let id = value
        .get("id")
        .filter(|id| id.is_number() || id.is_string())
        .cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(err) => malformed(
            id,
            ErrorCode::InvalidRequest,
            format!("not a JSON-RPC request, response or notification: {err}"),
        ),
    }
}

fn error_response(id: Option<Value>, code: i32, message: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": {"code": code, "message": message},
    })
    .to_string()
}

fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn frames(input: &str) -> Vec<Frame> {
        let mut input = io::Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        loop {
            match read_frame(&mut input) {
                Frame::End => return out,
                f => out.push(f),
            }
        }
    }

    fn is_message(f: &Frame, method: &str) -> bool {
        matches!(f, Frame::Message(Message::Request(r)) if r.method == method)
            || matches!(f, Frame::Message(Message::Notification(n)) if n.method == method)
    }

    fn code(f: &Frame) -> Option<(Option<&Value>, i32)> {
        match f {
            Frame::Malformed { id, code, .. } => Some((id.as_ref(), *code)),
            _ => None,
        }
    }

    #[test]
    fn bad_frames_are_answered_and_the_next_one_is_read() {
        let hover = r#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}"#;
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":3,"method":5}"#),
            frame("[1, 2]"),
            "Content-Length: x\r\n\r\n".to_owned(),
            "Content-Type: text\r\n\r\n".to_owned(),
            // Garbage before a header on the same line, as a short Content-Length leaves it.
            format!("garbage{}", frame(hover)),
        ]
        .concat();
        let got = frames(&input);
        assert_eq!(got.len(), 6, "{got:?}");
        assert_eq!(code(&got[0]), Some((None, ErrorCode::ParseError as i32)));
        assert_eq!(
            code(&got[1]),
            Some((Some(&Value::from(3)), ErrorCode::InvalidRequest as i32))
        );
        assert_eq!(
            code(&got[2]),
            Some((None, ErrorCode::InvalidRequest as i32))
        );
        assert_eq!(code(&got[3]), Some((None, ErrorCode::ParseError as i32)));
        assert_eq!(code(&got[4]), Some((None, ErrorCode::ParseError as i32)));
        assert!(is_message(&got[5], "textDocument/hover"), "{:?}", got[5]);
    }

    #[test]
    fn an_oversized_body_is_skipped_not_held() {
        let big = MAX_BODY + 1;
        let mut input = format!("Content-Length: {big}\r\n\r\n").into_bytes();
        input.resize(input.len() + big, b' ');
        input.extend_from_slice(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#).as_bytes());
        let mut cursor = io::Cursor::new(input);
        assert_eq!(
            code(&read_frame(&mut cursor)),
            Some((None, ErrorCode::InvalidRequest as i32))
        );
        assert!(is_message(&read_frame(&mut cursor), "exit"));
        // A length the input cannot fill is its end, not an allocation.
        let mut cursor = io::Cursor::new(b"Content-Length: 99999999999999\r\n\r\n{}".to_vec());
        assert!(matches!(read_frame(&mut cursor), Frame::End));
    }

    #[test]
    fn the_transport_answers_garbage_and_passes_messages_on() {
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().write(buf)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let input = [
            frame("{"),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let out = Arc::new(Mutex::new(Vec::new()));
        let (conn, threads) = spawn(
            io::Cursor::new(input.into_bytes()),
            Shared(Arc::clone(&out)),
        )
        .unwrap();
        let first = conn.receiver.recv().unwrap();
        assert!(matches!(first, Message::Notification(n) if n.method == "initialized"));
        let second = conn.receiver.recv().unwrap();
        assert!(matches!(second, Message::Notification(n) if n.method == "exit"));
        drop(conn);
        threads.finish();
        let written = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        assert!(written.contains(r#""id":null"#), "{written}");
        assert!(written.contains("-32700"), "{written}");
    }
}
