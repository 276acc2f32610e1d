//! The SMTP transport against a fake server that speaks just enough SMTP.

mod common;

use std::time::Duration;

use common::email;
use kernel::SecretString;
use mail::{Mailer, SendError, SmtpMailer};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const FROM: &str = "borderless <no-reply@borderless.local>";

/// How the fake server answers `RCPT TO`.
#[derive(Clone, Copy)]
enum Recipient {
    Accepted,
    Refused,
}

/// A server for one connection on a free port; its task answers the message it received (empty if none).
async fn fake_smtp(recipient: Recipient) -> anyhow::Result<(u16, JoinHandle<anyhow::Result<String>>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        write.write_all(b"220 fake.example ESMTP\r\n").await?;
        let mut message = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            if read.read_line(&mut line).await? == 0 {
                break;
            }
            let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
            let answer: &[u8] = match (verb.as_str(), recipient) {
                ("EHLO" | "HELO", _) => b"250 fake.example\r\n",
                ("MAIL", _) => b"250 2.1.0 sender ok\r\n",
                ("RCPT", Recipient::Accepted) => b"250 2.1.5 recipient ok\r\n",
                ("RCPT", Recipient::Refused) => b"550 5.1.1 no such mailbox here\r\n",
                ("DATA", _) => {
                    write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    loop {
                        line.clear();
                        if read.read_line(&mut line).await? == 0 || line == ".\r\n" {
                            break;
                        }
                        message.push_str(&line);
                    }
                    b"250 2.0.0 queued\r\n"
                }
                ("QUIT", _) => {
                    write.write_all(b"221 2.0.0 bye\r\n").await?;
                    break;
                }
                ("RSET" | "NOOP", _) => b"250 2.0.0 ok\r\n",
                _ => b"502 5.5.2 not implemented\r\n",
            };
            write.write_all(answer).await?;
        }
        Ok(message)
    });
    Ok((port, server))
}

/// Enough of quoted-printable for ASCII bodies: soft line breaks and `=`.
fn unfold_quoted_printable(message: &str) -> String {
    message.replace("=\r\n", "").replace("=3D", "=")
}

async fn received(server: JoinHandle<anyhow::Result<String>>) -> anyhow::Result<String> {
    tokio::time::timeout(Duration::from_secs(10), server).await??
}

#[tokio::test(flavor = "multi_thread")]
async fn the_message_carries_the_subject_and_both_bodies() -> anyhow::Result<()> {
    let (port, server) = fake_smtp(Recipient::Accepted).await?;
    let mailer = SmtpMailer::new(&SecretString::from(format!("smtp://127.0.0.1:{port}?tls=none")), FROM)?;
    let outgoing = email("ada@example.com", "Confirm your email address")?;
    mailer.send(&outgoing).await?;

    let message = unfold_quoted_printable(&received(server).await?);
    assert!(message.contains("Subject: Confirm your email address\r\n"), "{message}");
    assert!(message.contains("From: borderless <no-reply@borderless.local>\r\n"), "{message}");
    assert!(message.contains("To: ada@example.com\r\n"), "{message}");
    assert!(message.contains("Message-ID: <") && message.contains("@borderless.local>\r\n"), "{message}");
    assert!(message.contains("multipart/alternative"), "{message}");
    assert!(message.contains("Content-Type: text/plain"), "{message}");
    assert!(message.contains("Content-Type: text/html"), "{message}");
    for link in &outgoing.links {
        assert!(message.contains(link.as_str()), "{link} missing from {message}");
    }
    assert!(message.contains("Confirm your email address:\r\n"), "{message}");
    assert!(message.contains(&outgoing.html), "{message}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_answer_is_a_refusal_with_the_servers_words() -> anyhow::Result<()> {
    let (port, server) = fake_smtp(Recipient::Refused).await?;
    let mailer = SmtpMailer::new(&SecretString::from(format!("smtp://127.0.0.1:{port}?tls=none")), FROM)?;
    match mailer.send(&email("ada@example.com", "refused")?).await {
        Err(SendError::Refused { reason }) => assert!(reason.contains("no such mailbox here"), "{reason}"),
        other => anyhow::bail!("expected a refusal, got {other:?}"),
    }
    assert_eq!(received(server).await?, "");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn without_tls_none_the_password_never_travels_in_the_clear() -> anyhow::Result<()> {
    // The fake server offers no STARTTLS: a plain smtp:// URL requires it, so nothing is sent.
    let (port, server) = fake_smtp(Recipient::Accepted).await?;
    let mailer = SmtpMailer::new(&SecretString::from(format!("smtp://user:s3cret@127.0.0.1:{port}")), FROM)?;
    match mailer.send(&email("ada@example.com", "not sent")?).await {
        Err(SendError::Failed(error)) => {
            let error = format!("{error:#}");
            assert!(!error.contains("s3cret") && !error.contains("user:"), "{error}");
            assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
        }
        other => anyhow::bail!("expected a transient failure, got {other:?}"),
    }
    assert_eq!(received(server).await?, "");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_relay_is_a_transient_failure() -> anyhow::Result<()> {
    let port = TcpListener::bind("127.0.0.1:0").await?.local_addr()?.port();
    let mailer = SmtpMailer::new(&SecretString::from(format!("smtp://127.0.0.1:{port}?tls=none")), FROM)?;
    assert!(matches!(mailer.send(&email("ada@example.com", "later")?).await, Err(SendError::Failed(_))));
    Ok(())
}
