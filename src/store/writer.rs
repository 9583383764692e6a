//! The store's writer thread: every file write (two fsyncs each) happens here, never on the UI thread, so a slow SD
//! card cannot delay a countdown or a tap. Rapid changes coalesce: only the latest settings and the latest checkpoint
//! of a batch are written; history appends are never dropped and always land before the checkpoint that follows
//! them is cleared.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::checkpoint::{self, Checkpoint};
use super::history;
use super::record::SessionRecord;
use super::settings::{Settings, SettingsStore};

enum Job {
    Settings(Box<Settings>),
    Checkpoint(Box<Checkpoint>),
    ClearCheckpoint,
    Append(Box<SessionRecord>),
    /// Answers once everything sent before it is on disk.
    Flush(Sender<()>),
}

/// Where the writer puts things.
#[derive(Debug, Clone)]
pub struct Targets {
    pub settings: SettingsStore,
    pub checkpoint: PathBuf,
    pub history_dir: PathBuf,
    pub device: String,
}

pub struct Writer {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    problems: Arc<Mutex<Vec<String>>>,
}

impl Writer {
    pub fn spawn(targets: Targets) -> Writer {
        let (jobs, queue) = mpsc::channel();
        let problems = Arc::new(Mutex::new(Vec::new()));
        let reported = problems.clone();
        let thread = std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || run(&targets, &queue, &reported))
            .map_err(|err| eprintln!("stillpoint: cannot start the file writer ({err}); nothing will be saved"))
            .ok();
        Writer { jobs: thread.as_ref().map(|_| jobs), thread, problems }
    }

    pub fn save_settings(&self, settings: &Settings) {
        self.send(Job::Settings(Box::new(settings.clone())));
    }

    pub fn save_checkpoint(&self, checkpoint: Checkpoint) {
        self.send(Job::Checkpoint(Box::new(checkpoint)));
    }

    pub fn clear_checkpoint(&self) {
        self.send(Job::ClearCheckpoint);
    }

    pub fn append(&self, record: SessionRecord) {
        self.send(Job::Append(Box::new(record)));
    }

    /// Waits until everything sent so far is written.
    pub fn flush(&self) {
        if let Some(handle) = self.flush_handle() {
            handle.flush();
        }
    }

    /// A handle another thread can wait on (a history reader that must see the latest record).
    pub fn flush_handle(&self) -> Option<FlushHandle> {
        self.jobs.clone().map(|jobs| FlushHandle { jobs })
    }

    /// Writes that failed since the last call, one sentence each.
    pub fn take_problems(&self) -> Vec<String> {
        self.problems.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default()
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }
}

/// Waits, from any thread, until what was sent to the writer before is on disk.
#[derive(Clone)]
pub struct FlushHandle {
    jobs: Sender<Job>,
}

impl FlushHandle {
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.jobs.send(Job::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

impl Drop for Writer {
    /// Everything queued is written before the app exits.
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(targets: &Targets, queue: &Receiver<Job>, problems: &Mutex<Vec<String>>) {
    let report = |problem: String| {
        eprintln!("stillpoint: {problem}");
        if let Ok(mut list) = problems.lock() {
            list.push(problem);
        }
    };
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        batch.extend(queue.try_iter());
        let mut settings = None;
        let mut checkpoint = None;
        let mut flushes = Vec::new();
        for job in batch {
            match job {
                Job::Settings(latest) => settings = Some(latest),
                Job::Checkpoint(latest) => checkpoint = Some(Some(latest)),
                Job::ClearCheckpoint => checkpoint = Some(None),
                Job::Append(record) => {
                    if let Err(err) = history::append(&targets.history_dir, &targets.device, &record) {
                        report(format!("history not saved: {err}"));
                    }
                }
                Job::Flush(done) => flushes.push(done),
            }
        }
        match checkpoint {
            Some(Some(checkpoint)) => {
                if let Err(err) = checkpoint::save(&targets.checkpoint, &checkpoint) {
                    report(format!("resume checkpoint not saved: {err}"));
                }
            }
            Some(None) => {
                if let Err(err) = checkpoint::clear(&targets.checkpoint) {
                    report(format!("resume checkpoint not removed: {err}"));
                }
            }
            None => {}
        }
        if let Some(settings) = settings
            && let Err(err) = targets.settings.save(&settings)
        {
            report(format!("settings not saved: {err}"));
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}
