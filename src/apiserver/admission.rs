//! Admission plugins that change pods: Priority and DefaultTolerationSeconds.
