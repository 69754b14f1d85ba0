/**
 * Everything the bot says, in Kazakh, Russian and English, written by hand (no machine translation).
 * Placeholders are {name}; `say` fills them. Pure.
 */
import type { Language } from '../../core/model.ts';

/** The first message: before a language is chosen the bot speaks all three. */
export const CHOOSE_LANGUAGE =
  'Сәлеметсіз бе! Бұл — Tyndau: қаладағы мәселелер туралы хабарлауға арналған бот.\n' +
  'Здравствуйте! Это Tyndau — бот для сообщений о проблемах в городе.\n' +
  'Hello! This is Tyndau, a bot for reporting problems in your city.\n\n' +
  'Тілді таңдаңыз · Выберите язык · Choose a language';

export const LANGUAGE_BUTTONS: Readonly<Record<Language, string>> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

const kk = {
  languageSet: 'Жақсы, қазақша сөйлесеміз.',
  askText: 'Не болды? Мәселені бір хабарламамен сипаттаңыз: не болды, қашаннан бері, кімге кедергі келтіреді.',
  textEmpty: 'Хабарлама бос. Мәселені сөзбен сипаттаңыз.',
  textTooLong: 'Мәтін тым ұзын: {max} таңбадан аспауы керек. Қысқартып, қайта жіберіңіз.',
  askPlace: 'Бұл қай жерде? Картадан нүкте жіберіңіз (📎 → Геолокация) немесе мекенжайды жазыңыз. Мекенжайды білмесеңіз, «Өткізіп жіберу» батырмасын басыңыз.',
  outsideKazakhstan: 'Бұл нүкте Қазақстаннан тыс жерде. Қазақстандағы нүктені жіберіңіз немесе мекенжайды жазыңыз.',
  addressTooLong: 'Мекенжай тым ұзын: {max} таңбадан аспауы керек.',
  askPhotos: 'Фотосуреттер қосыңыз (ең көбі {max}). Фотосуретсіз жалғастыру үшін «Дайын» батырмасын басыңыз.',
  photoReceived: 'Фотосурет қабылданды: {n} / {max}. Тағы жіберіңіз немесе «Дайын» батырмасын басыңыз.',
  photoNotImage: 'Бұл файл фотосурет емес (JPEG, PNG, WebP немесе HEIC қабылданады). Ол сақталған жоқ.',
  photoTooLarge: 'Файл тым үлкен: {mb} МБ-тан аспауы керек. Ол сақталған жоқ.',
  photoUnavailable: 'Фотосуретті Telegram-нан алу мүмкін болмады. Қайта жіберіп көріңіз.',
  photoNotNow: 'Фотосуреттерді сипаттама мен орынды жазғаннан кейін қоса аласыз.',
  photosFull: 'Фотосуреттер саны шекке жетті ({max}).',
  photosOrDone: 'Фотосурет жіберіңіз немесе «Дайын» батырмасын басыңыз.',
  confirm: 'Хабарламаңызды тексеріңіз:\n\n{text}\n\nОрны: {place}\nФотосуреттер: {photos}\n\nЖібереміз бе?',
  placePoint: 'картадағы нүкте ({lat}, {lon})',
  placeNone: 'көрсетілмеген',
  contactHint: 'Жауаптар мен мәртебе өзгерістерін осы чатта алу үшін телефон нөміріңізбен бөлісіңіз. Бөліспесеңіз, хабарлама анонимді түрде жіберіледі.',
  contactLinked: 'Рақмет, нөміріңіз байланыстырылды. Хабарламаларыңыз бойынша жаңалықтар осы чатқа келеді.',
  contactNotOwn: 'Тек өз нөміріңізбен бөлісе аласыз: «Телефон нөмірімді бөлісу» батырмасын басыңыз.',
  contactInvalid: 'Бұл Қазақстандағы ұялы байланыс нөмірі емес, сондықтан байланыстырылмады.',
  useButtons: '«Жіберу» немесе «Бас тарту» батырмасын басыңыз.',
  registered: 'Хабарламаңыз тіркелді, нөмірі: {number}. Мәртебесі өзгергенде осы чатқа жазамыз. Барлық хабарламаларыңыз: /status',
  registeredAnonymous:
    'Хабарламаңыз анонимді түрде тіркелді, нөмірі: {number}.\nБақылау коды: {code}\nКодты ешкімге көрсетпеңіз: хабарламаны сайттан тек осы код арқылы ашуға болады. Мәртебесін /status арқылы да білуге болады.',
  submitFailed: 'Хабарламаны тіркеу мүмкін болмады ({code}). Тексеріп, «Жіберу» батырмасын қайта басыңыз немесе /cancel жазыңыз.',
  cancelled: 'Хабарламадан бас тартылды, ештеңе жіберілген жоқ. Жаңасын бастау үшін: /new',
  nothingToCancel: 'Бас тартатын ештеңе жоқ. Жаңа хабарлама: /new',
  statusNone: 'Бұл чаттан әлі хабарлама жіберілген жоқ. Жаңа хабарлама: /new',
  statusHeader: 'Сіздің хабарламаларыңыз:',
  statusConfidential: 'құпия: мәртебесін сайттан бақылау коды арқылы қараңыз',
  help: 'Командалар:\n/new — жаңа хабарлама\n/status — хабарламаларымның мәртебесі\n/cancel — толтырылып жатқан хабарламадан бас тарту\n/lang — тілді ауыстыру',
  startNew: 'Жаңа хабарлама бастау үшін /new жазыңыз немесе мәселені бірден сипаттаңыз.',
  unsupported: 'Мен мәтінді, фотосуреттерді, геолокацияны және контактіні ғана түсінемін.',
  buttonExpired: 'Бұл батырма енді жарамсыз.',
  skip: 'Өткізіп жіберу',
  done: 'Дайын',
  send: 'Жіберу',
  cancel: 'Бас тарту',
  shareContact: '📱 Телефон нөмірімді бөлісу',
};

export type MessageKey = keyof typeof kk;

const ru: Record<MessageKey, string> = {
  languageSet: 'Хорошо, общаемся по-русски.',
  askText: 'Что случилось? Опишите проблему одним сообщением: что произошло, с какого времени, кому мешает.',
  textEmpty: 'Сообщение пустое. Опишите проблему словами.',
  textTooLong: 'Текст слишком длинный: не больше {max} символов. Сократите его и отправьте снова.',
  askPlace: 'Где это? Отправьте точку на карте (📎 → Геопозиция) или напишите адрес. Если адреса не знаете, нажмите «Пропустить».',
  outsideKazakhstan: 'Эта точка за пределами Казахстана. Отправьте точку в Казахстане или напишите адрес.',
  addressTooLong: 'Адрес слишком длинный: не больше {max} символов.',
  askPhotos: 'Приложите фотографии (не больше {max}). Чтобы продолжить без фото, нажмите «Готово».',
  photoReceived: 'Фото получено: {n} из {max}. Отправьте ещё или нажмите «Готово».',
  photoNotImage: 'Этот файл — не фотография (принимаются JPEG, PNG, WebP и HEIC). Он не сохранён.',
  photoTooLarge: 'Файл слишком большой: не больше {mb} МБ. Он не сохранён.',
  photoUnavailable: 'Не удалось получить фото из Telegram. Попробуйте отправить его ещё раз.',
  photoNotNow: 'Фото можно будет приложить после описания и места.',
  photosFull: 'Фотографий уже максимум ({max}).',
  photosOrDone: 'Отправьте фото или нажмите «Готово».',
  confirm: 'Проверьте сообщение:\n\n{text}\n\nМесто: {place}\nФото: {photos}\n\nОтправляем?',
  placePoint: 'точка на карте ({lat}, {lon})',
  placeNone: 'не указано',
  contactHint: 'Чтобы получать ответы и изменения статуса в этом чате, поделитесь номером телефона. Если не поделитесь, сообщение будет отправлено анонимно.',
  contactLinked: 'Спасибо, номер привязан. Новости по вашим сообщениям будут приходить в этот чат.',
  contactNotOwn: 'Поделиться можно только своим номером: нажмите кнопку «Поделиться номером телефона».',
  contactInvalid: 'Это не мобильный номер Казахстана, поэтому он не привязан.',
  useButtons: 'Нажмите «Отправить» или «Отменить».',
  registered: 'Сообщение зарегистрировано, номер: {number}. Когда статус изменится, мы напишем в этот чат. Все ваши сообщения: /status',
  registeredAnonymous:
    'Сообщение зарегистрировано анонимно, номер: {number}.\nКод отслеживания: {code}\nНикому не показывайте код: только по нему можно открыть сообщение на сайте. Статус можно узнать и через /status.',
  submitFailed: 'Не удалось зарегистрировать сообщение ({code}). Проверьте его и снова нажмите «Отправить» или напишите /cancel.',
  cancelled: 'Сообщение отменено, ничего не отправлено. Начать заново: /new',
  nothingToCancel: 'Отменять нечего. Новое сообщение: /new',
  statusNone: 'Из этого чата ещё не было сообщений. Новое сообщение: /new',
  statusHeader: 'Ваши сообщения:',
  statusConfidential: 'конфиденциально: статус смотрите на сайте по коду отслеживания',
  help: 'Команды:\n/new — новое сообщение\n/status — статус моих сообщений\n/cancel — отменить сообщение, которое заполняется\n/lang — сменить язык',
  startNew: 'Чтобы начать новое сообщение, напишите /new или сразу опишите проблему.',
  unsupported: 'Я понимаю только текст, фотографии, геопозицию и контакт.',
  buttonExpired: 'Эта кнопка уже не действует.',
  skip: 'Пропустить',
  done: 'Готово',
  send: 'Отправить',
  cancel: 'Отменить',
  shareContact: '📱 Поделиться номером телефона',
};

const en: Record<MessageKey, string> = {
  languageSet: "Fine, we'll talk in English.",
  askText: 'What happened? Describe the problem in one message: what is wrong, since when, and who is affected.',
  textEmpty: 'The message is empty. Please describe the problem in words.',
  textTooLong: 'The text is too long: at most {max} characters. Please shorten it and send it again.',
  askPlace: 'Where is it? Send a pin on the map (📎 → Location) or type the address. If you do not know the address, press “Skip”.',
  outsideKazakhstan: 'This point is outside Kazakhstan. Send a point in Kazakhstan or type the address.',
  addressTooLong: 'The address is too long: at most {max} characters.',
  askPhotos: 'Attach photos (up to {max}). To go on without photos, press “Done”.',
  photoReceived: 'Photo received: {n} of {max}. Send more or press “Done”.',
  photoNotImage: 'This file is not a photo (JPEG, PNG, WebP and HEIC are accepted). It was not saved.',
  photoTooLarge: 'The file is too large: at most {mb} MB. It was not saved.',
  photoUnavailable: 'The photo could not be fetched from Telegram. Please try sending it again.',
  photoNotNow: 'You can attach photos after the description and the place.',
  photosFull: 'That is already the most photos allowed ({max}).',
  photosOrDone: 'Send a photo or press “Done”.',
  confirm: 'Please check your report:\n\n{text}\n\nPlace: {place}\nPhotos: {photos}\n\nSend it?',
  placePoint: 'a pin on the map ({lat}, {lon})',
  placeNone: 'not given',
  contactHint: "To get answers and status changes in this chat, share your phone number. If you don't, the report is sent anonymously.",
  contactLinked: 'Thank you, your number is linked. News about your reports will come to this chat.',
  contactNotOwn: 'You can only share your own number: press the “Share my phone number” button.',
  contactInvalid: 'This is not a Kazakhstan mobile number, so it was not linked.',
  useButtons: 'Press “Send” or “Cancel”.',
  registered: 'Your report is registered as {number}. We will write to this chat when its status changes. All your reports: /status',
  registeredAnonymous:
    'Your report is registered anonymously as {number}.\nTracking code: {code}\nKeep the code to yourself: it is the only key to the report on the website. /status also shows its state.',
  submitFailed: 'The report could not be registered ({code}). Check it and press “Send” again, or type /cancel.',
  cancelled: 'Cancelled: nothing was sent. To start again: /new',
  nothingToCancel: 'There is nothing to cancel. A new report: /new',
  statusNone: 'No reports have been sent from this chat yet. A new report: /new',
  statusHeader: 'Your reports:',
  statusConfidential: 'confidential: see its state on the website with the tracking code',
  help: 'Commands:\n/new — a new report\n/status — the state of my reports\n/cancel — drop the report being filled in\n/lang — change the language',
  startNew: 'To start a new report, type /new or simply describe the problem.',
  unsupported: 'I only understand text, photos, locations and contacts.',
  buttonExpired: 'This button is no longer active.',
  skip: 'Skip',
  done: 'Done',
  send: 'Send',
  cancel: 'Cancel',
  shareContact: '📱 Share my phone number',
};

const texts: Readonly<Record<Language, Record<MessageKey, string>>> = { kk, ru, en };

/** Case states as the applicant reads them; other states fall back to their kind. */
const stateLabels: Readonly<Record<Language, Record<string, string>>> = {
  kk: {
    received: 'қабылданды', in_work: 'жұмыста', awaiting_applicant: 'сіздің жауабыңыз күтілуде', dispatched: 'наряд жіберілді',
    on_scene: 'наряд орнында', resolved: 'шешілді', closed: 'жабылды', withdrawn: 'кері қайтарылды',
    new: 'қабылданды', open: 'қаралуда', waiting: 'күтуде',
  },
  ru: {
    received: 'принято', in_work: 'в работе', awaiting_applicant: 'ждём вашего ответа', dispatched: 'наряд направлен',
    on_scene: 'наряд на месте', resolved: 'решено', closed: 'закрыто', withdrawn: 'отозвано',
    new: 'принято', open: 'рассматривается', waiting: 'ожидание',
  },
  en: {
    received: 'received', in_work: 'in work', awaiting_applicant: 'awaiting your reply', dispatched: 'unit dispatched',
    on_scene: 'unit on scene', resolved: 'resolved', closed: 'closed', withdrawn: 'withdrawn',
    new: 'received', open: 'being handled', waiting: 'waiting',
  },
};

export function stateLabel(language: Language, state: string, stateKind: string): string {
  const labels = stateLabels[language];
  return labels[state] ?? labels[stateKind] ?? state;
}

/** The text of `key` in `language` with {placeholders} filled (an unknown placeholder stays as written). */
export function say(language: Language, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return texts[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Every language has every key: checked by a test, kept here so a missing text fails to compile too. */
export const allTexts = texts;
