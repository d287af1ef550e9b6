//! `__repr__` and `to_dict()` of the result classes, from their field names.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// `Name(field=repr(value), ...)`.
pub fn repr(obj: &Bound<'_, PyAny>, name: &str, fields: &[&str]) -> PyResult<String> {
    let mut parts = Vec::with_capacity(fields.len());
    for f in fields {
        parts.push(format!("{f}={}", obj.getattr(*f)?.repr()?));
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

/// `{field: value}`, with nested records (and lists of them) as dicts too.
pub fn to_dict<'py>(obj: &Bound<'py, PyAny>, fields: &[&str]) -> PyResult<Bound<'py, PyDict>> {
    let py = obj.py();
    let dict = PyDict::new(py);
    for f in fields {
        dict.set_item(*f, deep(&obj.getattr(*f)?)?)?;
    }
    Ok(dict)
}

fn deep<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(list) = value.cast::<PyList>() {
        let out = PyList::empty(value.py());
        for item in list.iter() {
            out.append(deep(&item)?)?;
        }
        return Ok(out.into_any());
    }
    if value.hasattr("to_dict")? {
        return value.call_method0("to_dict");
    }
    Ok(value.clone())
}
