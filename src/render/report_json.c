/* placeholder: implemented in progress */
typedef int concilia_placeholder_report_json;
